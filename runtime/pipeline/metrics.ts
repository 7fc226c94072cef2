/**
 * Metric outputs of a node: numbers, records of numbers flattened as `name.key`, and arrays of
 * numbers (e.g. a loss per epoch) as one metric whose steps are the array's indices.
 */
import type { PipelineNode } from "./definition.ts";
import type { LoggedMetric } from "./node-state.ts";

function flatten(name: string, value: unknown, into: LoggedMetric[]): void {
  if (typeof value === "number") into.push({ name, value, step: undefined });
  else if (typeof value === "boolean") into.push({ name, value: value ? 1 : 0, step: undefined });
  else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === "number")) value.forEach((v: number, step) => into.push({ name, value: v, step }));
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) flatten(`${name}.${key}`, item, into);
  }
}

/** The metric values among `outputs`, per the node's `metrics` list. */
export function metricsOf(node: PipelineNode, outputs: Readonly<Record<string, unknown>>): LoggedMetric[] {
  const metrics: LoggedMetric[] = [];
  for (const name of node.metrics ?? []) flatten(name, outputs[name], metrics);
  return metrics;
}
