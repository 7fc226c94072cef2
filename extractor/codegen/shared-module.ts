// shared.ts: the `export` cells, lifted verbatim, for nodes and the predictor to import.
import type { PipelineModel } from "../analysis/model.ts";

/** The body of shared.ts, after its imports; undefined when the notebook has no `export` cell. */
export function sharedModuleBody(model: PipelineModel): string | undefined {
  return model.shared?.code;
}
