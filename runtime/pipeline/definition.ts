/**
 * The pipeline definition: what the extractor generates in pipelines/<name>/pipeline.ts
 * and what the runner runs. This file is the contract between the two.
 */

/** A JSON schema, as generated from a TypeScript type. */
export type JsonSchema = Record<string, unknown>;

/**
 * One step of a pipeline: a typed function lifted from a notebook cell.
 * The runner calls `func` with one argument per entry of `inputs`, in order:
 * a dataset name is loaded from the catalog (or taken from an earlier node's output),
 * `params:NAME` is the resolved value of parameter NAME.
 * `func` returns (or resolves to) a record with one key per entry of `outputs`,
 * or nothing when `outputs` is empty.
 */
export interface PipelineNode {
  /** Unique within the pipeline; the notebook's `node: NAME` or a slug of the heading above the cell. */
  name: string;
  // The runner binds inputs by position, so the function's own parameter types stay exact.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  func: (...args: any[]) => unknown;
  inputs: readonly string[];
  outputs: readonly string[];
  /** Outputs that are run metrics (numbers, or records of numbers flattened as `name.key`). */
  metrics?: readonly string[];
  tags?: readonly string[];
  /** sha256 of the node's generated source; with its inputs' digests it decides whether a rerun can be skipped. */
  codeHash: string;
  /** Where the node came from, for error messages: "notebooks/train.ipynb cell 7". */
  source?: string;
}

/** Parameters of a pipeline: defaults from the notebook's `parameters` cell and their JSON schema. */
export interface PipelineParameters {
  defaults: Record<string, unknown>;
  schema: JsonSchema;
}

/** The serving side of a pipeline, from its `predict` cell. */
export interface PredictDefinition {
  /** Catalog datasets the predictor needs (the predict cell's free variables), in the factory's argument order. */
  artifacts: readonly string[];
  /** Pipeline parameters the predict cell reads: serving passes the values recorded with the model version (its training run's). */
  parameters?: readonly string[];
  /** Builds the prediction function from the loaded artifacts, keyed by dataset name, and the parameters it reads, keyed by name. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  create: (artifacts: any, parameters: any) => (input: any) => unknown;
  /** JSON schema of one request record (the predict function takes an array of these). */
  inputSchema: JsonSchema;
  /** JSON schema of one response record. */
  outputSchema: JsonSchema;
  /** sha256 of the predict module's code and the shared code it uses; each model version records it, and is served only with the same code. */
  codeHash?: string;
}

/** A whole pipeline, default-exported by pipelines/<name>/pipeline.ts. */
export interface Pipeline {
  name: string;
  /** The notebook it was extracted from, relative to the project root. */
  source: string;
  nodes: readonly PipelineNode[];
  parameters: PipelineParameters;
  predict?: PredictDefinition;
}

/** Identity function that gives a generated pipeline definition its type. */
export function definePipeline(pipeline: Pipeline): Pipeline {
  return pipeline;
}

/** Generated node and predict code revives saved class instances with it (a light import, unlike the package root). */
export { reviveInstance } from "../catalog/revive-instance.ts";
