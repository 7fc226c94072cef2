/**
 * Different request records for the benches: the rows of a CSV file (the project's
 * data/01_raw/pokemon.csv) cut down to the model's fields and typed as POST /invocations types
 * CSV cells, so that traffic is not one record repeated (V8 caches the strings of numbers it has
 * already printed, which flatters a route that answers the same probabilities every time).
 */
import { readFileSync } from "node:fs";
import type { JsonSchema } from "../runtime/pipeline/definition.ts";
import { csvRows, parseCsv } from "../runtime/serve/csv-input.ts";

function typesOf(schema: JsonSchema | undefined): string[] {
  const type = schema?.["type"];
  return Array.isArray(type) ? type.map(String) : typeof type === "string" ? [type] : [];
}

/** Whether each field of `record` is of a type its schema allows (a CSV cell that fits none stays text). */
function fits(record: Record<string, unknown>, properties: Record<string, JsonSchema>): boolean {
  return Object.entries(properties).every(([field, schema]) => {
    const types = typesOf(schema);
    const value = record[field];
    if (value === null || value === undefined) return types.includes("null");
    if (Array.isArray(value)) return types.includes("array");
    if (typeof value === "number") return types.includes("number") || (types.includes("integer") && Number.isInteger(value));
    return types.includes(typeof value);
  });
}

/**
 * Up to `count` records from evenly spaced rows of the CSV file at `path` whose cells fit the
 * model's request schema; empty when the file lacks one of the schema's fields.
 */
export function csvRecords(path: string, schema: JsonSchema, count: number): Record<string, unknown>[] {
  const [header = [], ...rows] = parseCsv(readFileSync(path, "utf8"));
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  const fields = Object.keys(properties);
  const columns = fields.map((field) => header.indexOf(field));
  if (columns.some((column) => column < 0)) return [];
  const quote = (cell: string): string => `"${cell.replaceAll('"', '""')}"`;
  const text = [fields, ...rows.map((row) => columns.map((column) => row[column] ?? ""))].map((cells) => cells.map(quote).join(",")).join("\n");
  const records = csvRows(text, schema).filter((record) => fits(record, properties));
  const step = Math.max(1, records.length / count);
  return Array.from({ length: Math.min(count, records.length) }, (_, i) => records[Math.floor(i * step)]!);
}
