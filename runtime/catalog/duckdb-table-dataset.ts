/**
 * `duckdb.table` datasets: one table of a `.duckdb` database file. A save replaces the table (or, with
 * `mode: append`, adds rows) inside one transaction, so a save that is interrupted leaves the table as it was.
 */
import { stat } from "node:fs/promises";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { CatalogEntry, Dataset, DatasetContext, DatasetDescription, StoredFile } from "./dataset.ts";
import { storedFile } from "./digest.ts";
import {
  firstLine,
  queryColumns,
  shaped,
  sqlIdentifier,
  stageTable,
  tableRows,
  withDuckDB,
  type SqlRelation,
  type TableShape,
} from "./duckdb.ts";
import { CatalogConfigError, DatasetIOError, DatasetNotFoundError } from "./errors.ts";
import { shapeOption } from "./parquet-dataset.ts";
import { projectRelative, resolveInProject } from "./project-path.ts";

/** A table of a DuckDB database file: loads as a DataFrame (or rows), saves replace or append. */
export class DuckDBTableDataset implements Dataset<unknown> {
  readonly type = "duckdb.table";
  readonly persisted = true;
  readonly path: string;
  readonly table: string;
  private readonly shape: TableShape;
  private readonly append: boolean;

  constructor(
    readonly name: string,
    entry: CatalogEntry,
    private readonly context: DatasetContext,
  ) {
    if (typeof entry.path !== "string" || entry.path === "" || typeof entry["table"] !== "string")
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` (type duckdb.table) needs \`path\` (the .duckdb file) and \`table\`, e.g. path: data/03_primary/shop.duckdb, table: orders.`,
      );
    this.path = resolveInProject(context.root, entry.path, name);
    this.table = entry["table"];
    this.shape = shapeOption(name, entry);
    const mode = entry["mode"] ?? "overwrite";
    if (mode !== "overwrite" && mode !== "append")
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` has \`mode: ${JSON.stringify(mode)}\`; use \`overwrite\` (the default) or \`append\`.`,
      );
    this.append = mode === "append";
  }

  private shown(): string {
    return `${projectRelative(this.context.root, this.path)}, table ${this.table}`;
  }

  private async tableExists(): Promise<boolean> {
    try {
      await stat(this.path);
    } catch {
      return false;
    }
    return withDuckDB(
      this.context.root,
      async (c) => {
        const found = await queryColumns(c, "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = $1", [
          this.table,
        ]);
        return (found.columns["n"]?.[0] as number) > 0;
      },
      this.path,
      true,
    );
  }

  async load(): Promise<unknown> {
    if (!(await this.tableExists())) throw new DatasetNotFoundError(this.name, this.shown());
    try {
      const result = await withDuckDB(
        this.context.root,
        (c) => queryColumns(c, `SELECT * FROM ${sqlIdentifier(this.table)}`),
        this.path,
        true,
      );
      return await shaped(this.shape, result);
    } catch (error) {
      throw new DatasetIOError("load", this.name, this.shown(), firstLine(error));
    }
  }

  async save(data: unknown): Promise<void> {
    const table = sqlIdentifier(this.table);
    try {
      await mkdir(dirname(this.path), { recursive: true });
      await withDuckDB(
        this.context.root,
        async (c) => {
          // Staged in the connection's temporary catalog first, so the transaction below only copies rows.
          const relation = await stageTable(c, data);
          await c.run("BEGIN TRANSACTION");
          try {
            if (this.append) {
              await c.run(`CREATE TABLE IF NOT EXISTS ${table} AS SELECT * FROM ${relation} LIMIT 0`);
              await c.run(`INSERT INTO ${table} BY NAME SELECT * FROM ${relation}`);
            } else await c.run(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${relation}`);
            await c.run("COMMIT");
          } catch (error) {
            await c.run("ROLLBACK");
            throw error;
          }
          // The file holds the table from now on (not only the write-ahead log), so its digest changes with it.
          await c.run("CHECKPOINT");
        },
        this.path,
      );
    } catch (error) {
      throw new DatasetIOError("save", this.name, this.shown(), firstLine(error));
    }
  }

  /** The table as a DuckDB relation of its database, attached read-only (for `sql` in notebooks). */
  async sqlRelation(): Promise<SqlRelation> {
    return { relation: sqlIdentifier(this.table), attach: this.path };
  }

  describe(): DatasetDescription {
    return { name: this.name, type: this.type, path: projectRelative(this.context.root, this.path), versioned: false };
  }

  exists(): Promise<boolean> {
    return this.tableExists();
  }

  async files(): Promise<StoredFile[]> {
    return (await this.tableExists()) ? [await storedFile(this.path)] : [];
  }

  async digest(): Promise<string | undefined> {
    const [file] = await this.files();
    return file?.sha256;
  }

  rows(data: unknown): number | undefined {
    return tableRows(data);
  }
}
