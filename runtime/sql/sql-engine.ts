/** What `@cellforge/runtime/sql` runs (sql.ts), loaded on its first query. */
import type { DataFrame } from "danfojs-node";
import { Catalog } from "../catalog/catalog.ts";
import type { Dataset } from "../catalog/dataset.ts";
import {
  dataFrameOf,
  firstLine,
  isSqlQueryable,
  queryColumns,
  shaped,
  sqlIdentifier,
  sqlString,
  withDuckDB,
  type TableShape,
} from "../catalog/duckdb.ts";
import { loadProjectConfig } from "../config/config-loader.ts";

/** SQL that `sql` could not run, with the query as written. */
export class SqlError extends Error {
  readonly code = "SQL";
}

/** The entry `name` names: itself, else the one pipeline entry of that name (`pokemon` → `train.pokemon`). */
function entryName(entries: readonly string[], name: string): string {
  if (entries.includes(name)) return name;
  const namespaced = entries.filter((entry) => entry.endsWith(`.${name}`));
  if (namespaced.length === 1) return namespaced[0]!;
  throw new SqlError(
    namespaced.length === 0
      ? `The catalog (conf/base/catalog.yml) has no dataset \`${name}\`; it has ${entries.join(", ")}.`
      : `\`${name}\` is ambiguous in the catalog: use one of ${namespaced.join(", ")} (catalog["train.pokemon"]).`,
  );
}

const datasets = new Map<string, Dataset>();

/** Catalog dataset `name` of the project at `root` (cached for the process, as a notebook's catalog does not move). */
function datasetNamed(root: string, name: string): Dataset {
  const key = `${root}\0${name}`;
  let dataset = datasets.get(key);
  if (dataset === undefined) {
    const entries = loadProjectConfig(root).catalog;
    dataset = new Catalog(entries, { root }).get(entryName(Object.keys(entries), name));
    datasets.set(key, dataset);
  }
  return dataset;
}

/** A `${catalog.name}` in a query: the name of a dataset of the project's catalog. */
export interface DatasetReference {
  readonly datasetName: string;
}

/** Runs a SQL query (the parts and values of a tagged template) with DuckDB; its rows as a danfojs DataFrame. */
export async function runSql(
  root: string,
  strings: readonly string[],
  values: readonly unknown[],
  isDataset: (value: unknown) => value is DatasetReference,
): Promise<DataFrame> {
  return withDuckDB(root, async (connection) => {
    let text = strings[0] ?? "";
    const parameters: unknown[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (isDataset(value)) {
        const dataset = datasetNamed(root, value.datasetName);
        if (!isSqlQueryable(dataset))
          throw new SqlError(
            `Dataset \`${dataset.name}\` has type ${dataset.type}, which SQL cannot read; use a csv, parquet, duckdb.table or duckdb.query dataset.`,
          );
        const { relation, attach, alias } = await dataset.sqlRelation();
        if (attach === undefined) text += relation;
        else {
          const name = alias ?? `dataset_${i}`;
          await connection.run(`ATTACH ${sqlString(attach)} AS ${sqlIdentifier(name)} (READ_ONLY)`);
          text += alias === undefined ? `${sqlIdentifier(name)}.${relation}` : relation;
        }
      } else {
        parameters.push(value);
        text += `$${parameters.length}`;
      }
      text += strings[i + 1] ?? "";
    }
    try {
      const result = await queryColumns(connection, text, parameters);
      return await dataFrameOf(result.names, result.columns);
    } catch (error) {
      throw new SqlError(`${firstLine(error)} (in: ${text.trim()})`);
    }
  });
}

/** A Parquet file as a danfojs DataFrame, an Arrow table or row objects. */
export async function readParquetFile(root: string, path: string, shape: TableShape = "dataframe"): Promise<unknown> {
  const result = await withDuckDB(root, (connection) =>
    queryColumns(connection, `SELECT * FROM read_parquet(${sqlString(path)})`),
  );
  return shaped(shape, result);
}
