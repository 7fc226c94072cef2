/**
 * DuckDB for the catalog and notebooks: one short-lived in-process database per load or save. The
 * `@duckdb/node-api` binding is imported on first use, so runs that never touch a DuckDB-backed
 * dataset do not pay for loading it (~0.25 s).
 */
import type { DuckDBConnection, DuckDBType } from "@duckdb/node-api";
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

/** A value with DuckDB's BIGINTs as numbers, also inside lists and structs. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plain(v)]));
  return value;
}

/** Whether a column holds bigints, or lists or structs that may hold them. */
function needsPlain(column: readonly unknown[]): boolean {
  const first = column.find((v) => v !== null && v !== undefined);
  return typeof first === "bigint" || Array.isArray(first) || Object.getPrototypeOf(first ?? 0) === Object.prototype;
}

/** What a query returns: its columns by name (BIGINTs as numbers), the same as read (bigints kept), and their types. */
export interface QueryResult {
  names: string[];
  columns: Columns;
  raw: Columns;
  types: DuckDBType[];
  rows: number;
}

/** The columns a query returns (with the values bound to $1, $2…). */
export async function queryColumns(
  connection: DuckDBConnection,
  sql: string,
  values: unknown[] = [],
): Promise<QueryResult> {
  const reader = await connection.runAndReadAll(sql, values as never[]);
  const names = reader.deduplicatedColumnNames();
  const read = reader.getColumnsJS();
  const columns: Columns = {};
  const raw: Columns = {};
  names.forEach((name, i) => {
    const column = read[i] ?? [];
    raw[name] = column;
    columns[name] = needsPlain(column) ? column.map(plain) : column;
  });
  return { names, columns, raw, types: reader.columnTypes(), rows: reader.currentRowCount };
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

/** What a DuckDB-backed dataset hands a node: a danfojs DataFrame (default), row objects or an Apache Arrow table. */
export type TableShape = "dataframe" | "rows" | "arrow";

/**
 * Stages what a node saves (a DataFrame, row objects or an Arrow table) as a temporary table of `connection`
 * and returns its name for SQL; see duckdb-staging.ts (loaded on the first save).
 */
export async function stageTable(connection: DuckDBConnection, data: unknown): Promise<string> {
  const { stageTable: stage } = await import("./duckdb-staging.ts");
  return stage(connection, data);
}

/** The number of rows of a saved table (a DataFrame, row objects or an Arrow table), for the run's log. */
export function tableRows(data: unknown): number | undefined {
  if (Array.isArray(data)) return data.length;
  const table = data as { values?: unknown; numRows?: unknown } | null;
  if (typeof table?.numRows === "number") return table.numRows;
  return Array.isArray(table?.values) ? table.values.length : undefined;
}

/** The value a DuckDB-backed dataset loads, in the shape its entry asks for. */
export async function shaped(shape: TableShape, result: QueryResult): Promise<unknown> {
  if (shape === "rows") return rowObjects(result.names, result.columns, result.rows);
  if (shape === "dataframe") return dataFrameOf(result.names, result.columns);
  const { arrowTableOf } = await import("./arrow-table.ts");
  return arrowTableOf(result.names, result.raw, result.types);
}
