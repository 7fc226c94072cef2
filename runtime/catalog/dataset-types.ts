/**
 * The dataset types a project's catalog knows, by the `type` name catalog.yml uses: the built-ins (the
 * names @cellforge/contract lists) and the ones the project's cellforge.hooks.ts exports. One registry
 * per project, never process-wide, so two projects in one process do not see each other's types.
 */
import { didYouMean } from "@cellforge/contract";
import { CsvDataset } from "./csv-dataset.ts";
import { DanfojsTransformerDataset } from "./danfojs-transformer-dataset.ts";
import { FILE_OPTIONS, type DatasetType } from "./dataset-type.ts";
import { DatasetTypeConflictError } from "./errors.ts";
import { DuckDBQueryDataset } from "./duckdb-query-dataset.ts";
import { DuckDBTableDataset } from "./duckdb-table-dataset.ts";
import { JsonDataset } from "./json-dataset.ts";
import { ParquetDataset } from "./parquet-dataset.ts";
import { MemoryDataset } from "./memory-dataset.ts";
import { TextDataset } from "./text-dataset.ts";
import { TfjsModelDataset } from "./tfjs-model-dataset.ts";
import { TfjsTensorDataset } from "./tfjs-tensor-dataset.ts";

/** The types of one project's catalog. */
export class DatasetTypes {
  private readonly types = new Map<string, DatasetType>();

  /** Adds type `name`; a name already registered (a built-in, or twice) is an error, so nothing is replaced by accident. */
  register(name: string, type: DatasetType, registeredIn = "the project"): this {
    if (this.types.has(name)) throw new DatasetTypeConflictError(name, registeredIn);
    this.types.set(name, type);
    return this;
  }

  /** The type called `name`, or undefined. */
  get(name: string): DatasetType | undefined {
    return this.types.get(name);
  }

  /** Every registered name, sorted. */
  names(): string[] {
    return [...this.types.keys()].sort();
  }

  /** The registered name closest to a misspelt `name`, or undefined. */
  closest(name: string): string | undefined {
    return didYouMean(name, this.names());
  }
}

/** What a DuckDB-backed dataset hands a node. */
const AS_OPTION = {
  kind: "string",
  doc: "what a node receives: `dataframe` (a danfojs DataFrame, default), `rows` (row objects) or `arrow` (an Apache Arrow table)",
} as const;

/** A registry with the built-in types only: csv, parquet, duckdb.query, duckdb.table, json, text, tfjs-model, tfjs-tensor, danfojs-transformer and memory. */
export function builtinDatasetTypes(): DatasetTypes {
  return new DatasetTypes()
    .register("csv", {
      doc: "a danfojs DataFrame in a CSV file",
      options: {
        ...FILE_OPTIONS,
        load_args: { kind: "mapping", doc: "options for reading: delimiter (default ',')" },
        save_args: { kind: "mapping", doc: "options for writing: delimiter (default ',')" },
        engine: { kind: "string", doc: "the reader: `cellforge` (default) or `duckdb` (for large files; same typing)" },
      },
      create: (name, entry, context) => new CsvDataset(name, entry, context),
    })
    .register("parquet", {
      doc: "a table in a Parquet file (read and written by DuckDB)",
      options: { ...FILE_OPTIONS, as: AS_OPTION },
      create: (name, entry, context) => new ParquetDataset(name, entry, context),
    })
    .register("duckdb.query", {
      doc: "the rows of a SQL query over files or an attached .duckdb database (read-only)",
      options: {
        query: { kind: "string", required: true, doc: "the SQL; file paths are relative to the project root" },
        attach: { kind: "string", doc: "a .duckdb file the query reads as `db` (read-only)" },
        as: AS_OPTION,
      },
      create: (name, entry, context) => new DuckDBQueryDataset(name, entry, context),
    })
    .register("duckdb.table", {
      doc: "a table in a .duckdb database file",
      options: {
        path: { kind: "string", required: true, doc: "the .duckdb file, relative to the project root" },
        table: { kind: "string", required: true, doc: "the table's name" },
        mode: { kind: "string", doc: "what a save does: `overwrite` (default) or `append`" },
        as: AS_OPTION,
      },
      create: (name, entry, context) => new DuckDBTableDataset(name, entry, context),
    })
    .register("json", {
      doc: "any JSON value in a file",
      options: FILE_OPTIONS,
      create: (name, entry, context) => new JsonDataset(name, entry, context),
    })
    .register("text", {
      doc: "a string in a UTF-8 file",
      options: FILE_OPTIONS,
      create: (name, entry, context) => new TextDataset(name, entry, context),
    })
    .register("tfjs-model", {
      doc: "a tf.LayersModel in a folder (model.json + weights)",
      options: FILE_OPTIONS,
      create: (name, entry, context) => new TfjsModelDataset(name, entry, context),
    })
    .register("tfjs-tensor", {
      doc: "a tf.Tensor in a JSON file (shape, dtype and values)",
      options: FILE_OPTIONS,
      create: (name, entry, context) => new TfjsTensorDataset(name, entry, context),
    })
    .register("danfojs-transformer", {
      doc: "a fitted danfojs StandardScaler, MinMaxScaler, LabelEncoder or OneHotEncoder in a JSON file",
      options: FILE_OPTIONS,
      create: (name, entry, context) => new DanfojsTransformerDataset(name, entry, context),
    })
    .register("memory", {
      doc: "a value kept in memory for one run",
      options: {},
      create: (name) => new MemoryDataset(name),
    });
}
