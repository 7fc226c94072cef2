/** Metric outputs of a node: numbers, or records of numbers flattened as `name.key`. */
import type { PipelineNode } from "./definition.ts";

function flatten(prefix: string, value: unknown, into: Record<string, number>): void {
  if (typeof value === "number") {
    into[prefix] = value;
  } else if (typeof value === "boolean") {
    into[prefix] = value ? 1 : 0;
  } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) flatten(`${prefix}.${key}`, item, into);
  }
}

/** The metrics among `outputs`, per the node's `metrics` list. */
export function metricsOf(node: PipelineNode, outputs: Readonly<Record<string, unknown>>): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const name of node.metrics ?? []) flatten(name, outputs[name], metrics);
  return metrics;
}
