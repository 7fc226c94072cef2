/**
 * SQL over the catalog's datasets in a notebook, with DuckDB:
 *
 *     import { catalog, sql } from "@cellforge/runtime/sql";
 *     const attack = await sql`select type1, avg(attack) as attack from ${catalog.pokemon} group by 1`;
 *
 * gives a danfojs DataFrame. A `${catalog.name}` is the dataset's data (csv typed as the catalog types it,
 * parquet, a duckdb.table, a duckdb.query; `pokemon` finds `train.pokemon` when only one pipeline has it);
 * any other `${value}` is bound as a parameter, never pasted into the SQL. The catalog is the one of the
 * project at the working directory (a notebook's project).
 *
 * This file imports no module of the runtime by path: tslab type-checks what a notebook imports with its
 * own compiler options, which refuse the runtime's `.ts` import paths, so the engine is loaded at run time.
 */
import type { Table } from "apache-arrow";
import type { DataFrame } from "danfojs-node";

/** A catalog dataset placed in a `sql` query. */
export class SqlDataset {
  constructor(readonly datasetName: string) {}
}

/** The datasets of the project's catalog, by name, for `sql` (`${catalog.pokemon}`). */
export const catalog: Readonly<Record<string, SqlDataset>> = new Proxy<Record<string, SqlDataset>>(
  {},
  { get: (_, name) => (typeof name === "string" && name !== "then" ? new SqlDataset(name) : undefined) },
);

interface SqlEngine {
  runSql: (
    root: string,
    strings: readonly string[],
    values: readonly unknown[],
    isDataset: (value: unknown) => value is SqlDataset,
  ) => Promise<DataFrame>;
  readParquetFile: (root: string, path: string, shape: "dataframe" | "arrow" | "rows") => Promise<unknown>;
}

const enginePath = "./sql-engine.ts";
let engine: Promise<SqlEngine> | undefined;
function loadEngine(): Promise<SqlEngine> {
  // A specifier TypeScript does not follow (see above); DuckDB itself is imported on the first query.
  engine ??= import(enginePath) as Promise<SqlEngine>;
  return engine;
}

/** Runs a SQL query (a tagged template) with DuckDB and returns its rows as a danfojs DataFrame. */
export async function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<DataFrame> {
  const { runSql } = await loadEngine();
  return runSql(process.cwd(), [...strings], values, (value): value is SqlDataset => value instanceof SqlDataset);
}

/** What `readParquet` returns: a danfojs DataFrame (the default), an Apache Arrow table, or row objects. */
export interface ReadParquetOptions {
  as?: "dataframe" | "arrow" | "rows";
}

/**
 * A Parquet file as a danfojs DataFrame, or with `{ as: "arrow" }` an Apache Arrow table (`{ as: "rows" }`: row
 * objects): the reader a notebook's `load` cell calls, which the catalog stands in for. The extractor reads the
 * declared type of the value to write the catalog entry's `as`.
 */
export async function readParquet(path: string, options?: { as?: "dataframe" }): Promise<DataFrame>;
export async function readParquet(path: string, options: { as: "arrow" }): Promise<Table>;
export async function readParquet<Row = Record<string, unknown>>(path: string, options: { as: "rows" }): Promise<Row[]>;
export async function readParquet(path: string, options: ReadParquetOptions = {}): Promise<unknown> {
  const { readParquetFile } = await loadEngine();
  return readParquetFile(process.cwd(), path, options.as ?? "dataframe");
}
