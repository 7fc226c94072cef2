/**
 * Whether the pipeline's predict cell can serve a registered version: the current predict cell must
 * take the same artifacts, have the same request and response schemas, and have the predict code the
 * version was registered with (when both record one: versions registered before the registry kept
 * the code hash, and hand-written pipelines without one, cannot be checked). The server refuses a
 * version that does not fit; `cellforge start` does not reuse one.
 */
import type { PredictDefinition } from "../pipeline/definition.ts";
import { stableJson } from "@cellforge/contract";
import type { ModelVersion } from "./registry-store.ts";

/** What does not fit, checked in this order. */
export type PredictMismatch = "no-predict" | "artifacts" | "request" | "response" | "code";

/** The first way `predict` does not fit `version`, or undefined when it fits. */
export function predictMismatch(
  version: ModelVersion,
  predict: PredictDefinition | undefined,
): PredictMismatch | undefined {
  if (predict === undefined) return "no-predict";
  if (stableJson([...predict.artifacts].sort()) !== stableJson(version.artifacts.map((a) => a.dataset).sort()))
    return "artifacts";
  if (stableJson(predict.inputSchema) !== stableJson(version.inputSchema)) return "request";
  if (stableJson(predict.outputSchema) !== stableJson(version.outputSchema)) return "response";
  if (
    version.predictCodeHash !== undefined &&
    predict.codeHash !== undefined &&
    predict.codeHash !== version.predictCodeHash
  )
    return "code";
  return undefined;
}
