// What analysis hands to code generation: the notebook's pipeline as plain data and source text, free of ts-morph.
import type { CellRef } from "@cellforge/contract";
import type { DatasetType, TableShape } from "./dataset-types.ts";
import type { JsonSchema, JsonValue } from "./json-schema.ts";
import type { ExtractionProblem } from "./problems.ts";

/** One import statement of the notebook, as written (relative specifiers resolved against the notebook's folder). */
export interface ImportModel {
  specifier: string;
  /** For relative specifiers: the absolute path they point to, so generated modules can point there from elsewhere. */
  absolutePath?: string;
  typeOnly: boolean;
  defaultName?: string;
  namespace?: string;
  named: readonly { name: string; alias?: string; typeOnly: boolean }[];
}

/** A declaration lifted to the top of a generated module (a type declared in a node or predict cell). */
export interface HoistedDeclaration {
  name: string;
  cell: number;
  text: string;
}

/** A typed value crossing a node boundary: a function parameter or a returned field. */
export interface TypedName {
  name: string;
  type: string;
}

/** One node input: the function parameter and where its value comes from (a dataset name or `params:NAME`). */
export interface NodeInput extends TypedName {
  dataset: string;
  /** For a saved class instance: the class its loaded fields are revived into (`reviveInstance`). */
  revive?: string;
}

/** A model artifact the predict function reads. */
export interface ArtifactModel extends TypedName {
  /** For a saved class instance: the class its loaded fields are revived into (`reviveInstance`). */
  revive?: string;
}

/** One node output: the returned field and the dataset it is stored as (the variable's name, or `NAME@NODE` for a new value of an earlier cell's variable). */
export interface NodeOutput extends TypedName {
  dataset: string;
}

/** A pipeline node, from a `node` cell. */
export interface NodeModel {
  name: string;
  functionName: string;
  cell: number;
  /** The heading the node sits under, for its doc comment. */
  heading?: string;
  async: boolean;
  inputs: readonly NodeInput[];
  outputs: readonly NodeOutput[];
  metrics: readonly string[];
  tags: readonly string[];
  /** The cell's statements, without directives, imports and hoisted types. */
  body: string;
}

/** A pipeline parameter from the `parameters` cell. */
export interface ParameterModel {
  name: string;
  type: string;
  value: JsonValue;
  schema: JsonSchema;
  description?: string;
}

/** A catalog dataset the notebook loads or saves. */
export interface DatasetModel {
  name: string;
  type: DatasetType;
  cell: number;
  /** How comments name the cell that loads or saves it. */
  ref: CellRef;
  role: "load" | "save";
  /** For loads: the path the notebook reads. */
  path?: string;
  /** What a DuckDB-backed table hands the node, from the value's declared type: an Arrow table or row objects (else a DataFrame). */
  as?: TableShape;
  /** Whether the predict cell needs it (a model artifact). */
  artifact: boolean;
  /** For a CSV the notebook loads: the reader options the catalog entry keeps as `load_args` (empty without options). */
  loadArgs?: Readonly<Record<string, string>>;
}

/** The serving function of the `predict` cell. */
export interface PredictModel {
  cell: number;
  functionName: string;
  /** The type of the function the predictor returns, e.g. `(rows: PokemonStats[]) => Promise<Prediction[]>`. */
  functionType: string;
  /**
   * Set when the cell's function takes one record (`predict(row: PokemonStats)`): the predictor maps it over the
   * batch, awaiting every answer when it is async.
   */
  perRecord?: { async: boolean };
  artifacts: readonly ArtifactModel[];
  /** Pipeline parameters the predict function reads: serving binds the values of the model's training run. */
  parameters: readonly TypedName[];
  body: string;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
}

/** The `export` cells, lifted verbatim into shared.ts. */
export interface SharedModel {
  code: string;
  /** The cells it comes from, in order (for mapping errors back). */
  cells: readonly number[];
  /** Exported names; type-only ones are imported with `type`. */
  names: readonly { name: string; typeOnly: boolean }[];
}

/** Everything code generation needs for one notebook. */
export interface PipelineModel {
  /** The pipeline name: the notebook's file name without `.ipynb`. */
  name: string;
  /** The notebook's path relative to the project root, with `/`. */
  source: string;
  imports: readonly ImportModel[];
  shared?: SharedModel;
  /** Types declared in node cells, at the top of nodes.ts. */
  nodeTypes: readonly HoistedDeclaration[];
  /** Types declared in the predict cell, at the top of predict.ts. */
  predictTypes: readonly HoistedDeclaration[];
  nodes: readonly NodeModel[];
  parameters: readonly ParameterModel[];
  datasets: readonly DatasetModel[];
  predict?: PredictModel;
  warnings: readonly ExtractionProblem[];
}
