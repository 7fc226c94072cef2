/** Which pipeline the runs page shows, and in which order that pipeline's metrics come: one view per pipeline. */
import type { ModelVersion } from "../registry/registry-store.ts";
import type { RunInfo } from "../tracking/store.ts";

/** Each pipeline that has runs, with how many, A to Z. */
export function pipelinesOf(runs: readonly RunInfo[]): { name: string; runs: number }[] {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.pipeline, (counts.get(run.pipeline) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, runs: count })).sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The pipeline whose runs to show: the one asked for (`?pipeline=NAME`; empty for all of them), else
 * the pipeline of the served model, else the only one, else `train`, else the newest run's.
 */
export function chosenPipeline(
  asked: string | undefined,
  runs: readonly RunInfo[],
  served: ModelVersion | undefined,
): string | undefined {
  if (asked !== undefined) return asked === "" ? undefined : asked;
  const names = new Set(runs.map((r) => r.pipeline));
  if (served !== undefined) {
    const producer = runs.find((r) => r.id === served.runId)?.pipeline;
    if (producer !== undefined) return producer;
    if (names.has(served.name)) return served.name;
  }
  if (names.size <= 1) return [...names][0];
  if (names.has("train")) return "train";
  return [...runs].sort((a, b) => b.startTime - a.startTime)[0]?.pipeline;
}
