/**
 * Real request records from the project's own data: a row of a CSV dataset (e.g. Charizard's in
 * data/01_raw/pokemon.csv), shaped by the model's request schema — numbers parsed, empty cells as
 * null where the schema allows it, Python-list text such as `['Blaze', 'Solar Power']` as arrays (the
 * catalog's reader and typing rule, as `/invocations` reads a CSV body).
 * `cellforge start` prints one as a curl example; the UI's "try it" form starts from one.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { cellValue } from "../catalog/cell-typing.ts";
import { parseCsv } from "../catalog/csv-reader.ts";
import type { JsonSchema } from "../pipeline/definition.ts";

export { cellValue, parseCsv };

/** A record built from a data row. */
export interface SampleRecord {
  /** The row's name (its `name` column), e.g. "Charizard". */
  label: string;
  dataset: string;
  record: Record<string, unknown>;
  /** The row as the file has it. */
  row: Record<string, string>;
}

/** The record `schema` describes, from one row; undefined when a required field has no usable cell. */
export function recordFromRow(
  row: Readonly<Record<string, string>>,
  schema: JsonSchema,
): Record<string, unknown> | undefined {
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
  const record: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const value = cellValue(row[name], property);
    if (value === undefined) {
      if (required.has(name)) return undefined;
      continue;
    }
    record[name] = value;
  }
  return record;
}

interface Table {
  columns: string[];
  rows: string[][];
}

const tables = new Map<string, { mtimeMs: number; table: Table }>();

function readTable(path: string): Table {
  const mtimeMs = statSync(path).mtimeMs;
  const cached = tables.get(path);
  if (cached !== undefined && cached.mtimeMs === mtimeMs) return cached.table;
  const [columns = [], ...rows] = parseCsv(readFileSync(path, "utf8"));
  const table = { columns, rows };
  tables.set(path, { mtimeMs, table });
  return table;
}

/** The CSV datasets of a catalog, as `{name: path}` (absolute paths). */
export function csvDatasets(root: string, catalog: Readonly<Record<string, unknown>>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [name, entry] of Object.entries(catalog)) {
    const e = entry as { type?: unknown; path?: unknown; versioned?: unknown } | null;
    if (e?.type === "csv" && typeof e.path === "string" && e.versioned !== true) found[name] = resolve(root, e.path);
  }
  return found;
}

/**
 * The first row of `datasets` (name → CSV path) whose `name` column is `label` (any case), as a
 * record of `schema`; without a label, the first row that makes a valid record.
 */
export function sampleRecord(
  datasets: Readonly<Record<string, string>>,
  schema: JsonSchema,
  label?: string,
): SampleRecord | undefined {
  for (const [dataset, path] of Object.entries(datasets)) {
    let table: Table;
    try {
      table = readTable(path);
    } catch {
      continue;
    }
    const nameColumn = table.columns.indexOf("name");
    for (const cells of table.rows) {
      if (label !== undefined && (nameColumn === -1 || cells[nameColumn]?.toLowerCase() !== label.toLowerCase()))
        continue;
      const row = Object.fromEntries(table.columns.map((column, i) => [column, cells[i] ?? ""]));
      const record = recordFromRow(row, schema);
      if (record !== undefined)
        return { label: nameColumn === -1 ? `row of ${dataset}` : (cells[nameColumn] ?? ""), dataset, record, row };
    }
  }
  return undefined;
}

/** The values of the `name` column of the datasets, to offer as samples (at most `limit`). */
export function sampleLabels(datasets: Readonly<Record<string, string>>, limit = 5000): string[] {
  const labels: string[] = [];
  for (const path of Object.values(datasets)) {
    try {
      const table = readTable(path);
      const nameColumn = table.columns.indexOf("name");
      if (nameColumn === -1) continue;
      for (const cells of table.rows) {
        const label = cells[nameColumn];
        if (label !== undefined && label !== "") labels.push(label);
      }
    } catch {
      continue;
    }
    if (labels.length >= limit) break;
  }
  return labels.slice(0, limit);
}

/** The row the try-it form and `cellforge start`'s curl example start from. */
export const SAMPLE_LABEL = "Charizard";

/** The sample record both offer: SAMPLE_LABEL's row, else the first row that makes a valid record. */
export function defaultSampleRecord(
  datasets: Readonly<Record<string, string>>,
  schema: JsonSchema,
): SampleRecord | undefined {
  return sampleRecord(datasets, schema, SAMPLE_LABEL) ?? sampleRecord(datasets, schema);
}
