/**
 * Metrics a run logged twice under two names: TF.js's per-epoch `loss` and `type_loss`, and the
 * node's own `history` record of the same values (`history.loss`, `history.typeLoss`). The UI and
 * `cellforge runs` show each series once, under the name that reads best: the one without a record
 * prefix, else the shorter.
 */
import type { MetricPoint, RunDetails } from "./store.ts";

/** Each key's values in step order (the last value logged at a step wins), for keys with 2+ steps. */
function seriesByKey(history: readonly MetricPoint[]): Map<string, number[]> {
  const atStep = new Map<string, Map<number, number>>();
  const ordered = [...history].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
  for (const { key, step, value } of ordered)
    (atStep.get(key) ?? atStep.set(key, new Map()).get(key)!).set(step, value);
  const series = new Map<string, number[]>();
  for (const [key, steps] of atStep) if (steps.size > 1) series.set(key, [...steps.values()]);
  return series;
}

/** Which of two names for one series to keep: no record prefix first, then the shorter, then by name. */
function preferred(a: string, b: string): number {
  return Number(a.includes(".")) - Number(b.includes(".")) || a.length - b.length || a.localeCompare(b);
}

/** The keys whose whole step series repeats, value for value, a series kept under another name. */
export function repeatedMetricKeys(history: readonly MetricPoint[]): Set<string> {
  const kept = new Map<string, string>();
  const repeated = new Set<string>();
  const series = seriesByKey(history);
  for (const key of [...series.keys()].sort(preferred)) {
    const signature = series.get(key)!.join(",");
    if (kept.has(signature)) repeated.add(key);
    else kept.set(signature, key);
  }
  return repeated;
}

/** The run with each repeated metric series left out of its metrics and history. */
export function withoutRepeatedMetrics<Run extends Pick<RunDetails, "metrics" | "metricHistory">>(run: Run): Run {
  const repeated = repeatedMetricKeys(run.metricHistory);
  if (repeated.size === 0) return run;
  return {
    ...run,
    metrics: Object.fromEntries(Object.entries(run.metrics).filter(([key]) => !repeated.has(key))),
    metricHistory: run.metricHistory.filter((point) => !repeated.has(point.key)),
  };
}
