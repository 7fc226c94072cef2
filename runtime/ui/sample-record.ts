/**
 * Real request records from the project's own data: a row of a CSV dataset (e.g. Charizard's in
 * data/01_raw/pokemon.csv), shaped by the model's request schema — numbers parsed, empty cells as
 * null where the schema allows it, Python-list text such as `['Blaze', 'Solar Power']` as arrays.
 * `cellforge start` prints one as a curl example; the UI's "try it" form starts from one.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { JsonSchema } from "../pipeline/definition.ts";

/** A record built from a data row. */
export interface SampleRecord {
  /** The row's name (its `name` column), e.g. "Charizard". */
  label: string;
  dataset: string;
  record: Record<string, unknown>;
  /** The row as the file has it. */
  row: Record<string, string>;
}

/** Parses CSV text (RFC 4180: quoted fields may hold commas, quotes and newlines) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** Reads a list written as JSON or as Python's repr (`['Blaze', "Farfetch'd"]`); undefined when it is not one. */
export function parseListText(text: string): unknown[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) return undefined;
  const items: unknown[] = [];
  const body = trimmed.slice(1, -1);
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === " " || c === ",") {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = "";
      i++;
      while (i < body.length && body[i] !== c) {
        if (body[i] === "\\" && i + 1 < body.length) i++;
        value += body[i];
        i++;
      }
      if (i >= body.length) return undefined;
      items.push(value);
      i++;
      continue;
    }
    const end = body.indexOf(",", i);
    const token = body.slice(i, end === -1 ? undefined : end).trim();
    const number = Number(token);
    if (token === "" || Number.isNaN(number)) return undefined;
    items.push(number);
    i = end === -1 ? body.length : end;
  }
  return items;
}

function types(schema: JsonSchema): string[] {
  const type = schema["type"];
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

/** One cell as the value `schema` wants; undefined when it cannot be one. */
export function cellValue(cell: string | undefined, schema: JsonSchema): unknown {
  const allowed = types(schema);
  if (cell === undefined || cell.trim() === "") return allowed.includes("null") ? null : undefined;
  const text = cell.trim();
  if (Array.isArray(schema["enum"])) return (schema["enum"] as unknown[]).find((v) => String(v) === text);
  for (const type of allowed) {
    if (type === "number" || type === "integer") {
      const number = Number(text);
      if (Number.isFinite(number) && (type === "number" || Number.isInteger(number))) return number;
    } else if (type === "boolean") {
      if (/^(1|true)$/i.test(text)) return true;
      if (/^(0|false)$/i.test(text)) return false;
    } else if (type === "array") {
      const list = parseListText(text);
      const items =
        typeof schema["items"] === "object" && schema["items"] !== null ? (schema["items"] as JsonSchema) : {};
      if (list !== undefined)
        return list.map((item) => (typeof item === "string" ? (cellValue(item, items) ?? item) : item));
    } else if (type === "string") return text;
  }
  return undefined;
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
