/**
 * Reads a `text/csv` body, which MLflow's scoring server also takes (pandas' `to_csv`: a header row
 * of column names, then one row per record), as records of the request schema. CSV has only text,
 * so each cell is typed by its column's field: numbers, booleans, null for an empty cell where the
 * field may be null, lists written as JSON or as pandas writes Python lists (`['Blaze', 'Solar Power']`).
 * A cell that is none of what its field takes stays text, and the rows are then validated like
 * every other format's, so the 400 names the row and the field.
 */
import { schemaTypes } from "../config/json-schema.ts";
import type { JsonSchema } from "../pipeline/definition.ts";
import { InvalidRequestError, TooManyColumnsError, TooManyRowsError } from "./errors.ts";

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Bounds on what a CSV body may hold, checked while it is read so that a hostile body stops early. */
export interface CsvLimits {
  /** Most fields a record may have (the header's columns included). */
  maxFields?: number;
  /** Most records the text may have (the header included). */
  maxRecords?: number;
}

/** A CSV body with more rows than a request may have. */
export class TooManyRecordsError extends Error {
  constructor(readonly maxRecords: number) {
    super(`more than ${maxRecords} records`);
  }
}

/** The records of an RFC 4180 text: quoted fields may hold commas, quotes ("") and line breaks. Throws once `limits` are passed. */
export function parseCsv(text: string, limits: CsvLimits = {}): string[][] {
  const maxFields = limits.maxFields ?? Infinity;
  const maxRecords = limits.maxRecords ?? Infinity;
  const records: string[][] = [];
  let record: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  // Each turn reads one field and the comma or line end after it; fields are sliced, not built a character at a time.
  while (i < text.length) {
    let field: string;
    if (text.charCodeAt(i) === QUOTE) {
      const opened = i;
      field = "";
      for (let from = i + 1; ;) {
        const close = text.indexOf('"', from);
        if (close === -1) {
          const line = text.slice(0, opened).split("\n").length;
          throw new InvalidRequestError(
            `The CSV body has a quoted value that never ends (it opens on line ${line}); close it with a double quote.`,
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
    if (record.length > maxFields) throw new TooManyColumnsError(`A CSV record has more than ${maxFields} values.`);
    const separator = text.charCodeAt(i);
    if (separator === COMMA) {
      i++;
      if (i === text.length) record.push("");
      continue;
    }
    // A line end, or the end of the text. (Blank lines are not records, and do not count.)
    if (!(record.length === 1 && record[0] === "")) {
      if (records.length === maxRecords) throw new TooManyRecordsError(maxRecords);
      records.push(record);
    }
    record = [];
    i += separator === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
  }
  return records;
}

function isSeparator(code: number): boolean {
  return code === COMMA || code === LF || code === CR;
}

/** A Python list literal as pandas writes a list cell: quoted strings, numbers, None, True, False; undefined when it is not one. */
function pythonList(text: string): unknown[] | undefined {
  const token =
    /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(None|True|False))\s*(,|\])/y;
  if (!/^\s*\[/.test(text)) return undefined;
  token.lastIndex = text.indexOf("[") + 1;
  if (/^\s*\]\s*$/.test(text.slice(token.lastIndex))) return [];
  const items: unknown[] = [];
  for (;;) {
    const match = token.exec(text);
    if (match === null) return undefined;
    const [, single, double, number, keyword, end] = match;
    const quoted = single ?? double;
    if (quoted !== undefined) {
      // The escapes Python's repr writes; any other (\uXXXX…) is left to the JSON reader.
      if (/\\[^\\'"nt]/.test(quoted)) return undefined;
      items.push(quoted.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t" })[c] ?? c));
    } else if (number !== undefined) items.push(Number(number));
    else items.push(keyword === "None" ? null : keyword === "True");
    if (end === "]") return text.slice(token.lastIndex).trim() === "" ? items : undefined;
  }
}

/** Reads a cell as a value of `field`, or keeps the text when it is none of what the field takes. */
function cellReader(field: JsonSchema | undefined): (cell: string) => unknown {
  const read = cellTyper(field);
  if (!(field !== undefined && schemaTypes(field).includes("array"))) return read;
  // List cells repeat (a column of abilities has a few hundred distinct values in a million rows): each text is
  // read once, and every row gets its own copy, so that no two records share an array.
  const lists = new Map<string, unknown>();
  return (cell) => {
    let value = lists.get(cell);
    if (value === undefined) {
      value = read(cell);
      const flat = Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null);
      if (flat && lists.size < 10_000) lists.set(cell, value);
      else return value;
    }
    return Array.isArray(value) ? value.slice() : value;
  };
}

function cellTyper(field: JsonSchema | undefined): (cell: string) => unknown {
  if (field === undefined) return (cell) => cell;
  const types = new Set(schemaTypes(field));
  const nullable = types.has("null");
  const numeric = types.has("number") || types.has("integer");
  const boolean = types.has("boolean");
  const structured = types.has("array") || types.has("object");
  return (cell) => {
    const text = cell.trim();
    if (text === "") return nullable ? null : cell;
    if (numeric) {
      const number = Number(text);
      if (Number.isFinite(number)) return number;
    }
    if (boolean && /^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
    if (structured) {
      // A list cell is read as a Python list first: pandas writes them so, and a failed JSON.parse throws, which
      // costs more than the whole row. JSON lists of strings and numbers read the same either way.
      const list = types.has("array") ? pythonList(text) : undefined;
      if (list !== undefined) return list;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // not JSON either: validation names the field
      }
    }
    return cell;
  };
}

/** Bounds of a CSV request body. */
export interface CsvRowLimits {
  /** Most rows (records after the header) a request may have; beyond, TooManyRowsError (413). */
  maxRows?: number;
}

/** The most columns a header may have for a model with `fields` fields: room for pandas' index and a few mistakes, not for 100,000. */
export function maxCsvColumns(fields: number): number {
  return Math.max(64, 2 * fields + 1);
}

function setField(record: Record<string, unknown>, name: string, value: unknown): void {
  // A `__proto__` column stays a column (and is refused as an unknown field), never the record's prototype.
  if (name === "__proto__")
    Object.defineProperty(record, name, { value, enumerable: true, writable: true, configurable: true });
  else record[name] = value;
}

/**
 * The records of a CSV body, typed by `schema` (one request record's JSON schema). The header is
 * checked in linear time, and reading stops as soon as it has more columns than the model could
 * take (TooManyColumnsError, 413) or the body more rows than `limits.maxRows` (TooManyRowsError, 413).
 */
export function csvRows(text: string, schema: JsonSchema, limits: CsvRowLimits = {}): Record<string, unknown>[] {
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  const fields = Object.keys(properties);
  const maxColumns = maxCsvColumns(fields.length);
  let records: string[][];
  try {
    records = parseCsv(text, {
      maxFields: maxColumns,
      ...(limits.maxRows === undefined ? {} : { maxRecords: limits.maxRows + 1 }),
    });
  } catch (error) {
    if (error instanceof TooManyColumnsError) {
      const newline = text.indexOf("\n");
      const header = newline === -1 ? text : text.slice(0, newline);
      const columns = header.split(",").length;
      throw new TooManyColumnsError(
        `The CSV header has ${columns} columns; this model takes ${fields.length} (${fields.join(", ")}), so a header may have at most ${maxColumns}. Send only the model's columns.`,
      );
    }
    if (error instanceof TooManyRecordsError) throw new TooManyRowsError(limits.maxRows ?? 0);
    throw error;
  }
  const [header, ...rows] = records;
  if (header === undefined)
    throw new InvalidRequestError("The CSV body is empty: send a header row of column names, then one row per record.");
  return csvRecordReader(header, schema)(rows, 0);
}

/**
 * Reads CSV records after `header` as records of `schema` (one request record's JSON schema), each cell
 * typed by its column's field; `first` is the index of the first of `rows` among all rows (for messages).
 * Throws InvalidRequestError for a header naming a column twice and for a row of the wrong length.
 */
export function csvRecordReader(
  header: readonly string[],
  schema: JsonSchema,
): (rows: readonly string[][], first: number) => Record<string, unknown>[] {
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  // pandas' to_csv writes the index first, under an empty name: no field has an empty name, so it is the index.
  const skip = header[0] === "" ? 1 : 0;
  const columns = header.slice(skip);
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) throw new InvalidRequestError(`The CSV header names column \`${name}\` twice.`, name);
    seen.add(name);
  }
  const readers = columns.map((name) => cellReader(Object.hasOwn(properties, name) ? properties[name] : undefined));
  const protoColumn = columns.includes("__proto__");
  return (rows, first) => {
    const typed = new Array<Record<string, unknown>>(rows.length);
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      if (row.length !== header.length) {
        throw new InvalidRequestError(
          `row ${first + index} has ${row.length - skip} values for ${columns.length} columns (${columns.join(", ")}).`,
          undefined,
          `/${first + index}`,
        );
      }
      const record: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const value = readers[i]!(row[i + skip]!);
        if (protoColumn) setField(record, columns[i]!, value);
        else record[columns[i]!] = value;
      }
      typed[index] = record;
    }
    return typed;
  };
}
