/**
 * Runs a freshly loaded model on a made-up record before it takes traffic: the first TF.js calls
 * compile kernels and allocate buffers, which should not land on a client. Batches of 1 row and of
 * each full call size are timed, so the batcher's latency fit is calibrated (two sizes or more) from the start.
 */
import type { JsonSchema } from "../pipeline/definition.ts";
import type { BatchLatency } from "./batch-latency.ts";
import { exampleFor } from "./example-record.ts";
import type { ServedModel } from "./served-model.ts";

const ROUNDS = 3;

/** Warms `model` up; records timings into `latency` when given. Resolves to false when no example could be made or predict failed on it. */
export async function warmUp(
  model: ServedModel,
  inputSchema: JsonSchema,
  callSizes: readonly number[],
  latency?: BatchLatency,
): Promise<boolean> {
  const example = exampleFor(inputSchema);
  if (example === undefined) return false;
  try {
    for (const size of new Set([1, ...callSizes])) {
      const rows = Array.from({ length: size }, () => example);
      for (let round = 0; round < ROUNDS; round++) {
        const start = performance.now();
        await model.predict(rows);
        // The first round pays the compilation: keep it out of the fit.
        if (round > 0) latency?.record(size, performance.now() - start);
      }
    }
    return true;
  } catch {
    return false;
  }
}
