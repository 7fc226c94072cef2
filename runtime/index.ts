/** The public API of @cellforge/runtime. */
export { useFastestBackend, BackendError, type BackendName, type BackendReport } from "./tfjs/backend.ts";
export { infer, inferencePlan, InferenceInputError, type InferencePlan } from "./tfjs/inference.ts";
export {
  definePipeline,
  type Pipeline,
  type PipelineNode,
  type PipelineParameters,
  type PredictDefinition,
  type JsonSchema,
} from "./pipeline/definition.ts";
export { log, logMetric, type RunScope } from "./tracking/context.ts";
export { Catalog, type CatalogOptions } from "./catalog/catalog.ts";
export type {
  Dataset,
  DatasetContext,
  DatasetDescription,
  DatasetFactory,
  CatalogEntry,
  StoredFile,
} from "./catalog/dataset.ts";
export { DatasetTypes, builtinDatasetTypes } from "./catalog/dataset-types.ts";
export {
  defineDatasetType,
  FILE_OPTIONS,
  type DatasetType,
  type DatasetOption,
  type DatasetOptionKind,
} from "./catalog/dataset-type.ts";
export { FileDataset } from "./catalog/file-dataset.ts";
export { reviveInstance } from "./catalog/revive-instance.ts";
export { Credentials } from "./catalog/credentials.ts";
export type { Hooks, PipelineRunResult, NodeOutcome } from "./pipeline/hooks.ts";
export type { Runner, NodeTask, NodeExecution } from "./pipeline/runner.ts";
export { InProcessRunner, type InProcessRunnerOptions } from "./pipeline/in-process-runner.ts";
export { isRunEvent, type RunEvent, type RunEventSink, type MetricValue } from "./events/run-event.ts";
export type { RunRequest, RunOutcome } from "./session/run-session.ts";
export type { TrackingStore, RunInfo, RunDetails, RunStatus, MetricPoint } from "./tracking/store.ts";
export type { ModelVersion, ModelArtifact, ModelSummary, RegistryStore } from "./registry/registry-store.ts";
