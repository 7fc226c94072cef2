/** `parquet` datasets: a table in a Parquet file, read and written by DuckDB (versioned and atomic like every file dataset). */
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import {
  firstLine,
  queryColumns,
  type SqlRelation,
  shaped,
  sqlString,
  stageTable,
  tableRows,
  withDuckDB,
  type TableShape,
} from "./duckdb.ts";
import { CatalogConfigError } from "./errors.ts";
import { FileDataset } from "./file-dataset.ts";

/** The `as` option of a DuckDB-backed entry: what a node receives. */
export function shapeOption(name: string, entry: CatalogEntry): TableShape {
  const shape = entry["as"] ?? "dataframe";
  if (shape !== "dataframe" && shape !== "rows" && shape !== "arrow")
    throw new CatalogConfigError(
      `Catalog entry \`${name}\` has \`as: ${JSON.stringify(shape)}\`; use \`dataframe\` (a danfojs DataFrame, the default), \`rows\` (an array of row objects) or \`arrow\` (an Apache Arrow table).`,
    );
  return shape;
}

/** A Parquet file loaded as a danfojs DataFrame (or row objects with `as: rows`, an Arrow table with `as: arrow`); saves take any of them. */
export class ParquetDataset extends FileDataset<unknown> {
  private readonly shape: TableShape;

  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "parquet", entry, context);
    this.shape = shapeOption(name, entry);
  }

  protected async read(path: string): Promise<unknown> {
    const result = await withDuckDB(this.context.root, (c) =>
      queryColumns(c, `SELECT * FROM read_parquet(${sqlString(path)})`),
    ).catch((error: unknown) => {
      throw new Error(
        `it is not a readable Parquet file (${firstLine(error)}); write it again, e.g. by running the pipeline that saves it`,
      );
    });
    return shaped(this.shape, result);
  }

  /** The file as a DuckDB relation (for `sql` in notebooks). */
  async sqlRelation(): Promise<SqlRelation> {
    return { relation: `read_parquet(${sqlString(await this.loadPath())})` };
  }

  protected async write(path: string, data: unknown): Promise<void> {
    await withDuckDB(this.context.root, async (c) => {
      const staged = await stageTable(c, data);
      await c.run(`COPY ${staged} TO ${sqlString(path)} (FORMAT parquet)`);
    });
  }

  override rows(data: unknown): number | undefined {
    return tableRows(data);
  }
}
