/**
 * SQL over the catalog's datasets in a notebook, with DuckDB:
 *
 *     import { catalog, sql } from "@cellforge/runtime/sql";
 *     const attack = await sql`select type1, avg(attack) as attack from ${catalog.pokemon} group by 1`;
 *
 * gives a danfojs DataFrame. A `${catalog.name}` is the dataset's data (csv typed as the catalog types
 * it, parquet, a duckdb.table, a duckdb.query); any other `${value}` is bound as a parameter, never
 * pasted into the SQL. The catalog is the project's at the working directory (the notebook's project).
 */
import type { DataFrame } from "danfojs-node";
import { Catalog } from "../catalog/catalog.ts";
import type { Dataset } from "../catalog/dataset.ts";
import {
  dataFrameOf,
  firstLine,
  isSqlQueryable,
  queryColumns,
  sqlIdentifier,
  sqlString,
  withDuckDB,
} from "../catalog/duckdb.ts";
import { loadProjectConfig } from "../config/config-loader.ts";

/** A catalog dataset placed in a `sql` query. */
export class SqlDataset {
  constructor(readonly dataset: Dataset) {}
}

/** SQL that `sql` could not run, with the query as written. */
export class SqlError extends Error {
  readonly code = "SQL";
}

/** The datasets of the project at the working directory, by name, for `sql` (`${catalog.pokemon}`). */
export const catalog: Readonly<Record<string, SqlDataset>> = new Proxy<Record<string, SqlDataset>>(
  {},
  {
    get(cache, name) {
      if (typeof name !== "string") return undefined;
      if (cache[name] === undefined) {
        const root = process.cwd();
        const project = new Catalog(loadProjectConfig(root).catalog, { root });
        cache[name] = new SqlDataset(project.get(name));
      }
      return cache[name];
    },
  },
);

/** Runs a SQL query (a tagged template) with DuckDB and returns its rows as a danfojs DataFrame. */
export async function sql(strings: TemplateStringsArray, ...values: unknown[]): Promise<DataFrame> {
  const root = process.cwd();
  return withDuckDB(root, async (connection) => {
    let text = strings[0] ?? "";
    const parameters: unknown[] = [];
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value instanceof SqlDataset) {
        const { dataset } = value;
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

/** A Parquet file as a danfojs DataFrame: the reader a notebook's `load` cell calls, which the catalog stands in for. */
export async function readParquet(path: string): Promise<DataFrame> {
  return withDuckDB(process.cwd(), async (connection) => {
    const result = await queryColumns(connection, `SELECT * FROM read_parquet(${sqlString(path)})`);
    return dataFrameOf(result.names, result.columns);
  });
}
