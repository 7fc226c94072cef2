// The catalog's built-in dataset types and what the extractor needs to know of each; the runtime registers exactly these.

/** What the extractor knows of a built-in dataset type, without importing the runtime that implements it. */
export interface BuiltinDatasetTypeFacts {
  /** One file, a folder of files (the path names the folder), a database (a table or a query), or nothing stored (one run's memory). */
  storage: "file" | "folder" | "database" | "memory";
  /** The extension of a file a pipeline saves ("" for a folder or memory). */
  extension: string;
  /** The Kedro data layer a saved dataset of this type goes to (data/<layer>/<pipeline>/). */
  layer: string;
  /** Calls (`dfd.readCSV(path)` → "readCSV") whose result, in a `load` cell, is a dataset of this type. */
  readers: readonly string[];
  /** `JSON.parse(readFile(path))`: the type a parser call turns a dataset of `from`'s readers into. */
  parsed?: { parser: string; from: string };
  /** For a folder read through a URL to a file inside it (tf.js's model.json): that file's name. */
  entryFile?: string;
  /** Classes, by package, whose instances (or subclasses') the extractor saves in this type; `loadsAs` is the class a load returns. */
  classes?: readonly { names: readonly string[]; package: string; loadsAs?: string }[];
  /** What values it holds, in a user's words ("a DataFrame"). */
  holds: string;
  /** False for a type the extractor never picks for a saved value (a catalog author chooses it in catalog.yml). */
  savesExtracted?: boolean;
  /** For a table type read through DuckDB: it can hand a node an Apache Arrow table or row objects (`as: arrow`, `as: rows`). */
  shapes?: boolean;
}

/** The built-in dataset types by the `type` name catalog.yml uses. */
export const BUILTIN_DATASET_TYPES = {
  csv: {
    storage: "file",
    extension: ".csv",
    layer: "02_intermediate",
    readers: ["readCSV"],
    holds: "a DataFrame",
    // A saved DataFrame goes to parquet, which keeps its columns' types: a CSV read back types a text column of
    // "007" as the number 7, and the nodes after it would compute something else than the notebook.
    savesExtracted: false,
  },
  parquet: {
    storage: "file",
    extension: ".parquet",
    layer: "02_intermediate",
    readers: ["readParquet"],
    classes: [
      { names: ["DataFrame"], package: "danfojs" },
      { names: ["Table"], package: "apache-arrow" },
    ],
    holds: "a DataFrame or an Apache Arrow table",
    shapes: true,
  },
  "duckdb.query": {
    storage: "database",
    extension: "",
    layer: "",
    readers: [],
    holds: "the rows of a SQL query (read-only)",
    savesExtracted: false,
    shapes: true,
  },
  "duckdb.table": {
    storage: "database",
    extension: ".duckdb",
    layer: "03_primary",
    readers: [],
    holds: "a table of a .duckdb file",
    savesExtracted: false,
    shapes: true,
  },
  json: {
    storage: "file",
    extension: ".json",
    layer: "08_reporting",
    readers: [],
    parsed: { parser: "JSON.parse", from: "text" },
    holds: "plain data",
  },
  text: {
    storage: "file",
    extension: ".txt",
    layer: "08_reporting",
    readers: ["readFile", "readFileSync"],
    holds: "a string",
  },
  "tfjs-model": {
    storage: "folder",
    extension: "",
    layer: "06_models",
    readers: ["loadLayersModel"],
    entryFile: "model.json",
    classes: [{ names: ["LayersModel", "Sequential"], package: "@tensorflow", loadsAs: "LayersModel" }],
    holds: "a tf.LayersModel",
  },
  "tfjs-tensor": {
    storage: "file",
    extension: ".json",
    layer: "06_models",
    readers: [],
    classes: [{ names: ["Tensor"], package: "@tensorflow" }],
    holds: "a tf.Tensor",
  },
  "danfojs-transformer": {
    storage: "file",
    extension: ".json",
    layer: "06_models",
    readers: [],
    classes: [{ names: ["StandardScaler", "MinMaxScaler", "LabelEncoder", "OneHotEncoder"], package: "danfojs" }],
    holds: "a fitted danfojs scaler or encoder",
  },
  memory: { storage: "memory", extension: "", layer: "", readers: [], holds: "any value, for one run" },
} as const satisfies Record<string, BuiltinDatasetTypeFacts>;

/** A built-in dataset type name. */
export type BuiltinDatasetType = keyof typeof BUILTIN_DATASET_TYPES;

/** A built-in type that stores its data (every one but `memory`): what a `load` or `save` dataset can be. */
export type PersistedDatasetType = Exclude<BuiltinDatasetType, "memory">;

/** The built-in type names, sorted. */
export function builtinDatasetTypeNames(): BuiltinDatasetType[] {
  return (Object.keys(BUILTIN_DATASET_TYPES) as BuiltinDatasetType[]).sort();
}

/** The facts of built-in type `type`. */
export function builtinDatasetType(type: BuiltinDatasetType): BuiltinDatasetTypeFacts {
  return BUILTIN_DATASET_TYPES[type];
}

/** The persisted built-in types with their facts, in declaration order. */
export function persistedDatasetTypes(): [PersistedDatasetType, BuiltinDatasetTypeFacts][] {
  return (Object.entries(BUILTIN_DATASET_TYPES) as [BuiltinDatasetType, BuiltinDatasetTypeFacts][]).filter(
    (entry): entry is [PersistedDatasetType, BuiltinDatasetTypeFacts] => entry[1].storage !== "memory",
  );
}

/** The persisted type whose reader is `call` (e.g. "readCSV" → csv), or undefined. */
export function datasetTypeOfReader(call: string): PersistedDatasetType | undefined {
  return persistedDatasetTypes().find(([, facts]) => facts.readers.includes(call))?.[0];
}

/** The persisted type `parser(reader(path))` gives for a reader of type `from` (JSON.parse of text → json), or undefined. */
export function datasetTypeOfParser(parser: string, from: PersistedDatasetType): PersistedDatasetType | undefined {
  return persistedDatasetTypes().find(
    ([, facts]) => facts.parsed?.parser === parser && facts.parsed.from === from,
  )?.[0];
}
