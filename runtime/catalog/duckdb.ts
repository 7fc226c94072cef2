/**
 * DuckDB for the catalog and notebooks: one short-lived in-process database per load or save. The
 * `@duckdb/node-api` binding is imported on first use, so runs that never touch a DuckDB-backed
 * dataset do not pay for loading it (~0.25 s).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { DataFrame } from "danfojs-node";

/** Columns of a result, by name, with DuckDB's BIGINTs as numbers and dates as JS Dates. */
export type Columns = Record<string, unknown[]>;

/** A SQL string literal for `text` (paths, table names in read_* calls). */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL identifier for `name` (a table or column). */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Runs `work` with a connection to a fresh DuckDB: in memory, or the database file `path`. Relative
 * paths in SQL resolve against `root` (the project), as catalog paths do.
 */
export async function withDuckDB<T>(
  root: string,
  work: (connection: DuckDBConnection) => Promise<T>,
  path?: string,
  readOnly = false,
): Promise<T> {
  const { DuckDBInstance } = await import("@duckdb/node-api");
  const instance = await DuckDBInstance.create(path ?? ":memory:", readOnly ? { access_mode: "READ_ONLY" } : {});
  const connection = await instance.connect();
  try {
    await connection.run(`SET file_search_path = ${sqlString(root)}`);
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The first line of an error's message (DuckDB appends the SQL and a caret under it). */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0]!.trim();
}

function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  return value;
}

/** The columns a query returns (with the values bound to $1, $2…). */
export async function queryColumns(
  connection: DuckDBConnection,
  sql: string,
  values: unknown[] = [],
): Promise<{ names: string[]; columns: Columns; rows: number }> {
  const reader = await connection.runAndReadAll(sql, values as never[]);
  const names = reader.deduplicatedColumnNames();
  const raw = reader.getColumnsJS();
  const columns: Columns = {};
  names.forEach((name, i) => {
    const column = raw[i] ?? [];
    columns[name] = column.some((v) => typeof v === "bigint") ? column.map(plain) : column;
  });
  return { names, columns, rows: reader.currentRowCount };
}

/** The rows of columns, one object per row. */
export function rowObjects(names: readonly string[], columns: Columns, rows: number): Record<string, unknown>[] {
  const objects: Record<string, unknown>[] = [];
  for (let r = 0; r < rows; r++) {
    const row: Record<string, unknown> = {};
    for (const name of names) row[name] = columns[name]?.[r] ?? null;
    objects.push(row);
  }
  return objects;
}

/** A danfojs DataFrame of the columns (danfo imported lazily, as the csv dataset does). */
export async function dataFrameOf(names: readonly string[], columns: Columns): Promise<DataFrame> {
  const { DataFrame } = await import("danfojs-node");
  if (names.length === 0) return new DataFrame([]);
  return new DataFrame(columns, { columns: [...names] });
}

/** A dataset as something SQL can read: a relation, and the database file it lives in (attached read-only) if any. */
export interface SqlRelation {
  relation: string;
  attach?: string;
  /** The name the relation expects the attached database under (a query's `db`); else the relation is qualified by the helper. */
  alias?: string;
}

/** A dataset `sql` can read. */
export interface SqlQueryable {
  sqlRelation(): Promise<SqlRelation>;
}

/** Whether `dataset` can be read by SQL (csv, parquet, duckdb.table, duckdb.query). */
export function isSqlQueryable(dataset: unknown): dataset is SqlQueryable {
  return typeof (dataset as Partial<SqlQueryable> | null)?.sqlRelation === "function";
}

/** What a DuckDB-backed dataset hands a node: a danfojs DataFrame (default) or row objects. */
export type TableShape = "dataframe" | "rows";

/** The tabular value a node saved (a DataFrame, or an array of row objects), as columns. */
export function columnsOf(data: unknown): { names: string[]; rows: Record<string, unknown>[] } {
  if (Array.isArray(data)) {
    if (!data.every((row) => typeof row === "object" && row !== null && !Array.isArray(row)))
      throw new TypeError("save a danfojs DataFrame or an array of row objects");
    const rows = data as Record<string, unknown>[];
    return { names: [...new Set(rows.flatMap((row) => Object.keys(row)))], rows };
  }
  const frame = data as { columns?: unknown; values?: unknown } | null;
  if (frame !== null && Array.isArray(frame.columns) && Array.isArray(frame.values)) {
    const names = frame.columns as string[];
    const rows = (frame.values as unknown[][]).map((values) =>
      Object.fromEntries(names.map((name, i) => [name, values[i] ?? null])),
    );
    return { names, rows };
  }
  throw new TypeError("save a danfojs DataFrame or an array of row objects");
}

/**
 * Rows staged for DuckDB as newline-delimited JSON in a private temporary folder; `work` gets a SQL
 * relation that reads them (`read_json(…)`), and the folder is removed afterwards whatever happens.
 */
export async function withStagedRows<T>(data: unknown, work: (relation: string) => Promise<T>): Promise<T> {
  const { names, rows } = columnsOf(data);
  if (names.length === 0) throw new TypeError("there is nothing to save: the table has no columns");
  const folder = await mkdtemp(join(tmpdir(), "cellforge-duckdb-"));
  try {
    const file = join(folder, "rows.ndjson");
    await writeFile(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
    const selected = names.map(sqlIdentifier).join(", ");
    return await work(
      `(SELECT ${selected} FROM read_json(${sqlString(file)}, format = 'newline_delimited', sample_size = -1))`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** The value a DuckDB-backed dataset loads, in the shape its entry asks for. */
export async function shaped(
  shape: TableShape,
  result: { names: string[]; columns: Columns; rows: number },
): Promise<unknown> {
  return shape === "rows"
    ? rowObjects(result.names, result.columns, result.rows)
    : dataFrameOf(result.names, result.columns);
}
