/**
 * Reads a `text/csv` body, which MLflow's scoring server also takes (pandas' `to_csv`: a header row
 * of column names, then one row per record), as records of the request schema. CSV has only text,
 * so each cell is typed by its column's field: numbers, booleans, null for an empty cell where the
 * field may be null, lists written as JSON or as pandas writes Python lists (`['Blaze', 'Solar Power']`).
 * A cell that is none of what its field takes stays text, and the rows are then validated like
 * every other format's, so the 400 names the row and the field. The reader and the typing rule are the
 * catalog's (csv-reader.ts, cell-typing.ts), so a file reads here as it does in a pipeline and in the UI.
 */
import { cellReader } from "../catalog/cell-typing.ts";
import { CsvSyntaxError, parseCsv, TooManyFieldsError, TooManyRecordsError } from "../catalog/csv-reader.ts";
import type { JsonSchema } from "../pipeline/definition.ts";
import { InvalidRequestError, TooManyColumnsError, TooManyRowsError } from "./errors.ts";
import { nextTurn } from "./next-turn.ts";

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
    throw csvBodyError(error, text, fields, limits);
  }
  const [header, ...rows] = records;
  if (header === undefined) throw emptyCsvError();
  return csvRecordReader(header, schema)(rows, 0);
}

const emptyCsvError = (): InvalidRequestError =>
  new InvalidRequestError("The CSV body is empty: send a header row of column names, then one row per record.");

/** What to answer for an error of the CSV reader on a body for a model with `fields`. */
function csvBodyError(error: unknown, text: string, fields: readonly string[], limits: CsvRowLimits): unknown {
  if (error instanceof CsvSyntaxError) return new InvalidRequestError(`The CSV body has ${error.message}.`);
  if (error instanceof TooManyFieldsError) {
    const newline = text.indexOf("\n");
    const header = newline === -1 ? text : text.slice(0, newline);
    const columns = header.split(",").length;
    return new TooManyColumnsError(
      `The CSV header has ${columns} columns; this model takes ${fields.length} (${fields.join(", ")}), so a header may have at most ${maxCsvColumns(fields.length)}. Send only the model's columns.`,
    );
  }
  if (error instanceof TooManyRecordsError) return new TooManyRowsError(limits.maxRows ?? 0);
  return error;
}

/** Characters of CSV read per turn of the event loop when a body is read in turns: a millisecond or two of reading. */
const CSV_PIECE_CHARS = 64 * 1024;

async function* piecesOf(text: string): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += CSV_PIECE_CHARS) yield text.slice(at, at + CSV_PIECE_CHARS);
}

/**
 * csvRows, a block of whole records per turn of the event loop, so that a 10,000-row CSV body (tens of ms of
 * reading) does not hold up /health and small /predict requests. A syntax error is reported by reading the whole
 * text again, so that its line numbers are the body's.
 */
export async function csvRowsInTurns(
  text: string,
  schema: JsonSchema,
  limits: CsvRowLimits = {},
): Promise<Record<string, unknown>[]> {
  if (text.length <= CSV_PIECE_CHARS) return csvRows(text, schema, limits);
  const rows: Record<string, unknown>[] = [];
  try {
    for await (const typed of csvRecordBlocks(piecesOf(text), schema, limits)) {
      for (let i = 0; i < typed.length; i++) rows.push(typed[i]!);
      await nextTurn();
    }
  } catch (error) {
    if (error instanceof CsvSyntaxError) return csvRows(text, schema, limits);
    throw csvBodyError(error, text, Object.keys(schema["properties"] ?? {}), limits);
  }
  return rows;
}

/**
 * The records of a CSV text arriving in `chunks`, typed by `schema` (one request record's JSON schema), a block of
 * whole records at a time; the first row is the header. Throws InvalidRequestError for a body without one, and
 * TooManyRowsError (413) once it has more than `limits.maxRows` rows.
 */
export async function* csvRecordBlocks(
  chunks: AsyncIterable<string>,
  schema: JsonSchema,
  limits: CsvRowLimits = {},
): AsyncGenerator<Record<string, unknown>[]> {
  let read: ((rows: readonly string[][], first: number) => Record<string, unknown>[]) | undefined;
  let first = 0;
  for await (const block of csvBlocks(chunks, maxCsvColumns(Object.keys(schema["properties"] ?? {}).length))) {
    let records = block;
    if (read === undefined) {
      const [header, ...rest] = block;
      if (header === undefined) continue;
      read = csvRecordReader(header, schema);
      records = rest;
    }
    if (records.length === 0) continue;
    if (limits.maxRows !== undefined && first + records.length > limits.maxRows)
      throw new TooManyRowsError(limits.maxRows);
    const typed = read(records, first);
    first += typed.length;
    yield typed;
  }
  if (read === undefined) throw emptyCsvError();
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

const QUOTE = 34;
const LF = 10;

/** The text of `chunks` cut into blocks of whole CSV records (a quoted value may span lines), each parsed. */
export async function* csvBlocks(chunks: AsyncIterable<string>, maxFields: number): AsyncGenerator<string[][]> {
  let buffer = "";
  let scanned = 0;
  let quoted = false;
  for await (const chunk of chunks) {
    buffer += chunk;
    let boundary = -1;
    for (let i = scanned; i < buffer.length; i++) {
      const code = buffer.charCodeAt(i);
      if (code === QUOTE) quoted = !quoted;
      else if (code === LF && !quoted) boundary = i;
    }
    scanned = buffer.length;
    if (boundary === -1) continue;
    const text = buffer.slice(0, boundary + 1);
    buffer = buffer.slice(boundary + 1);
    scanned = buffer.length;
    yield parseCsv(text, { maxFields });
  }
  if (buffer !== "") yield parseCsv(buffer, { maxFields });
}

export { parseCsv };
