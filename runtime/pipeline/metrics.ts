/**
 * Metric outputs of a node: numbers, records of numbers flattened as `name.key`, and arrays of
 * numbers (e.g. a loss per epoch) as one metric whose steps are the array's indices. Each value is
 * logged once: a record's entry that repeats a top-level metric of the node (same name, same value,
 * as `{ f1, auc }` beside `f1` and `auc`) is not logged again as `record.f1`.
 */
import type { Pipeline, PipelineNode } from "./definition.ts";
import type { LoggedMetric } from "./node-state.ts";

/** A single value as a metric logs it: numbers as they are, booleans as 1/0. */
function scalar(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return undefined;
}

function flatten(name: string, value: unknown, into: LoggedMetric[], topLevel: ReadonlyMap<string, number>): void {
  const single = scalar(value);
  if (single !== undefined) into.push({ name, value: single, step: undefined });
  else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "number"))
      value.forEach((v: number, step) => into.push({ name, value: v, step }));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const repeated = topLevel.get(key);
      const itemValue = scalar(item);
      if (repeated !== undefined && itemValue !== undefined && Object.is(repeated, itemValue)) continue;
      flatten(`${name}.${key}`, item, into, topLevel);
    }
  }
}

/** The metric values among `outputs`, per the node's `metrics` list, each value once. */
export function metricsOf(node: PipelineNode, outputs: Readonly<Record<string, unknown>>): LoggedMetric[] {
  const names = node.metrics ?? [];
  const topLevel = new Map<string, number>();
  for (const name of names) {
    const value = scalar(outputs[name]);
    if (value !== undefined) topLevel.set(name, value);
  }
  const metrics: LoggedMetric[] = [];
  for (const name of names) flatten(name, outputs[name], metrics, topLevel);
  return metrics;
}

/** The metrics a pipeline declares, the last node's first: a notebook ends with the cell that measures the model. */
export function declaredMetrics(pipeline: Pipeline): string[] {
  return [...pipeline.nodes].reverse().flatMap((node) => node.metrics ?? []);
}

/**
 * The metrics worth a column, of those `logged`: the ones the notebook declares, in `declared` order, then the other
 * undotted names A to Z. Dotted names are flattened records, often per-epoch series (`history.loss`) that belong on a
 * run's page; but when every declared metric is a record (`const metrics = { accuracy, loss }`), its entries are the
 * notebook's metrics.
 */
export function metricColumns(logged: readonly string[], declared: readonly string[]): string[] {
  const names = [...new Set(logged)];
  const scalars = declared.filter((name) => names.includes(name));
  const first =
    scalars.length > 0 || declared.length === 0
      ? scalars
      : declared.flatMap((name) => names.filter((m) => m.startsWith(`${name}.`)).sort());
  return [...first, ...names.filter((name) => !name.includes(".") && !first.includes(name)).sort()];
}
