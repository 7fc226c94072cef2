/**
 * `duckdb.query` datasets: the result of a SQL query over files (paths relative to the project) or over an
 * attached `.duckdb` database (as `db`, read-only). Read-only: a node cannot save to one.
 */
import type { CatalogEntry, Dataset, DatasetContext, DatasetDescription, StoredFile } from "./dataset.ts";
import { sha256 } from "./digest.ts";
import {
  firstLine,
  queryColumns,
  shaped,
  sqlString,
  tableRows,
  withDuckDB,
  type SqlRelation,
  type TableShape,
} from "./duckdb.ts";
import { CatalogConfigError, CatalogError, DatasetIOError } from "./errors.ts";
import { shapeOption } from "./parquet-dataset.ts";
import { resolveInProject } from "./project-path.ts";

/** A save to a query dataset. */
export class ReadOnlyDatasetError extends CatalogError {
  constructor(name: string) {
    super(
      "DATASET_READ_ONLY",
      `Dataset \`${name}\` is a duckdb.query, which is read-only; save the node's output to a parquet or duckdb.table entry instead.`,
    );
  }
}

/** The rows a SQL query returns, as a DataFrame (or rows with `as: rows`). */
export class DuckDBQueryDataset implements Dataset<unknown> {
  readonly type = "duckdb.query";
  readonly persisted = true;
  private readonly query: string;
  private readonly attach: string | undefined;
  private readonly shape: TableShape;

  constructor(
    readonly name: string,
    entry: CatalogEntry,
    private readonly context: DatasetContext,
  ) {
    const query = entry["query"];
    if (typeof query !== "string" || query.trim() === "")
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` (type duckdb.query) needs a \`query\`, e.g. query: select * from 'data/01_raw/pokemon.parquet'.`,
      );
    this.query = query;
    const attach = entry["attach"];
    this.attach = typeof attach === "string" ? resolveInProject(context.root, attach, name) : undefined;
    this.shape = shapeOption(name, entry);
  }

  private async result(): Promise<Awaited<ReturnType<typeof queryColumns>>> {
    try {
      return await withDuckDB(this.context.root, async (c) => {
        if (this.attach !== undefined) await c.run(`ATTACH ${sqlString(this.attach)} AS db (READ_ONLY)`);
        return queryColumns(c, this.query);
      });
    } catch (error) {
      throw new DatasetIOError("load", this.name, undefined, `${firstLine(error)} (query: ${this.query.trim()})`);
    }
  }

  /** The query as a DuckDB relation, its database attached read-only as `db` (for `sql` in notebooks). */
  async sqlRelation(): Promise<SqlRelation> {
    return {
      relation: `(${this.query.trim().replace(/;$/, "")})`,
      ...(this.attach === undefined ? {} : { attach: this.attach, alias: "db" }),
    };
  }

  async load(): Promise<unknown> {
    return shaped(this.shape, await this.result());
  }

  save(): Promise<void> {
    return Promise.reject(new ReadOnlyDatasetError(this.name));
  }

  describe(): DatasetDescription {
    return { name: this.name, type: this.type, versioned: false };
  }

  async exists(): Promise<boolean> {
    return true;
  }

  async files(): Promise<StoredFile[]> {
    return [];
  }

  /** The digest of what the query returns (which files it reads is up to the SQL), so a changed input is never skipped. */
  async digest(): Promise<string | undefined> {
    const { names, columns } = await this.result();
    return sha256(
      JSON.stringify([names, names.map((n) => columns[n])], (_, v: unknown) =>
        v instanceof Date ? v.toISOString() : v,
      ),
    );
  }

  rows(data: unknown): number | undefined {
    return tableRows(data);
  }
}
