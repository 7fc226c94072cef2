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
    if (error instanceof CsvSyntaxError) throw new InvalidRequestError(`The CSV body has ${error.message}.`);
    if (error instanceof TooManyFieldsError) {
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

export { parseCsv };
