/**
 * Different request records for the benches: the rows of a CSV file (the project's
 * data/01_raw/pokemon.csv) cut down to the model's fields and typed as POST /invocations types
 * CSV cells, so that traffic is not one record repeated (V8 caches the strings of numbers it has
 * already printed, which flatters a route that answers the same probabilities every time).
 */
import { readFileSync } from "node:fs";
import { validateSchema } from "../runtime/config/schema-validator.ts";
import type { JsonSchema } from "../runtime/pipeline/definition.ts";
import { csvRows } from "../runtime/serve/csv-input.ts";

/**
 * Up to `count` records from evenly spaced rows of the CSV file at `path` that the model's request
 * schema accepts; empty when the file lacks one of the schema's fields.
 */
export function csvRecords(path: string, schema: JsonSchema, count: number): Record<string, unknown>[] {
  const fields = Object.keys(schema["properties"] ?? {});
  const rows = csvRows(readFileSync(path, "utf8"), schema);
  if (rows.length === 0 || fields.some((field) => !(field in rows[0]!))) return [];
  const records = rows
    .map((row) => Object.fromEntries(fields.map((field) => [field, row[field]])))
    .filter((record) => validateSchema(record, schema).length === 0);
  const step = Math.max(1, records.length / count);
  return Array.from({ length: Math.min(count, records.length) }, (_, i) => records[Math.floor(i * step)]!);
}
