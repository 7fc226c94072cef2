/**
 * The one CSV reader of cellforge: the catalog's csv datasets, the UI's try-it sample and the server's
 * `text/csv` bodies all read text through it, so a file means the same thing everywhere. RFC 4180:
 * quoted fields may hold the delimiter, quotes ("") and line breaks; a leading byte-order mark is dropped;
 * a quote that never closes is an error naming its line. Fields are sliced, not built a character at a time.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Bounds on what a CSV text may hold, checked while it is read so that a hostile body stops early. */
export interface CsvLimits {
  /** Most fields a record may have (the header's columns included). */
  maxFields?: number;
  /** Most records the text may have (the header included). */
  maxRecords?: number;
  /** The field separator, one character (default ","). */
  delimiter?: string;
}

/** CSV text that cannot be read: `line` is where the problem starts (1-based). */
export class CsvSyntaxError extends Error {
  readonly code = "CSV_SYNTAX";
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
  }
}

/** A record with more fields than `CsvLimits.maxFields`. */
export class TooManyFieldsError extends Error {
  readonly code = "CSV_TOO_MANY_FIELDS";
  constructor(readonly maxFields: number) {
    super(`A CSV record has more than ${maxFields} values.`);
  }
}

/** A CSV text with more records than `CsvLimits.maxRecords`. */
export class TooManyRecordsError extends Error {
  readonly code = "CSV_TOO_MANY_RECORDS";
  constructor(readonly maxRecords: number) {
    super(`more than ${maxRecords} records`);
  }
}

/** The records of a CSV text (blank lines are not records). Throws CsvSyntaxError, or once `limits` are passed. */
export function parseCsv(text: string, limits: CsvLimits = {}): string[][] {
  const maxFields = limits.maxFields ?? Infinity;
  const maxRecords = limits.maxRecords ?? Infinity;
  const delimiter = (limits.delimiter ?? ",").charCodeAt(0);
  const isSeparator = (code: number): boolean => code === delimiter || code === LF || code === CR;
  const records: string[][] = [];
  let record: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Each turn reads one field and the delimiter or line end after it.
  while (i < text.length) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      const opened = i;
      field = "";
      for (let from = i + 1; ;) {
        const close = text.indexOf('"', from);
        if (close === -1) {
          const line = text.slice(0, opened).split("\n").length;
          throw new CsvSyntaxError(
            line,
            `a quoted value that never ends (it opens on line ${line}); close it with a double quote`,
          );
        }
        field += text.slice(from, close);
        if (text.charCodeAt(close + 1) !== QUOTE) {
          i = close + 1;
          break;
        }
        field += '"';
        from = close + 2;
      }
      // Text between a closing quote and the separator is kept, as spreadsheets do.
      let end = i;
      while (end < text.length && !isSeparator(text.charCodeAt(end))) end++;
      field += text.slice(i, end);
      i = end;
    } else {
      let end = i;
      while (end < text.length && !isSeparator(text.charCodeAt(end))) end++;
      field = text.slice(i, end);
      i = end;
    }
    record.push(field);
    if (record.length > maxFields) throw new TooManyFieldsError(maxFields);
    const separator = text.charCodeAt(i);
    if (separator === delimiter) {
      i++;
      if (i === text.length) record.push("");
      continue;
    }
    // A line end, or the end of the text.
    if (!(record.length === 1 && record[0] === "")) {
      if (records.length === maxRecords) throw new TooManyRecordsError(maxRecords);
      records.push(record);
    }
    record = [];
    i += separator === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
  }
  return records;
}
