/** The public API of @cellforge/runtime. */
export { useFastestBackend, BackendError, type BackendName, type BackendReport } from "./tfjs/backend.ts";
export {
  definePipeline,
  type Pipeline,
  type PipelineNode,
  type PipelineParameters,
  type PredictDefinition,
  type JsonSchema,
} from "./pipeline/definition.ts";
