/** A node's fingerprint: sha256 over its code hash, its inputs' content digests and its parameters' values. */
import { createHash } from "node:crypto";
import { stableJson } from "@cellforge/contract";
import type { Catalog } from "../catalog/catalog.ts";
import type { PipelineNode } from "./definition.ts";
import { isParameterInput, parameterName } from "./graph.ts";

/**
 * The fingerprint of `node` now: persisted inputs count by their stored digest, in-memory inputs
 * by `memoryKey` (the producing node's fingerprint), and the run's seed when it seeds Math.random.
 * Undefined when an in-memory input has no key.
 */
export async function fingerprintNode(
  node: PipelineNode,
  catalog: Catalog,
  params: Readonly<Record<string, unknown>>,
  memoryKey: (dataset: string) => string | undefined,
  seed?: number | string,
): Promise<string | undefined> {
  const parts = [
    `code ${node.codeHash}`,
    `outputs ${node.outputs.join(",")}`,
    ...(seed === undefined ? [] : [`seed ${JSON.stringify(seed)}`]),
  ];
  for (const input of node.inputs) {
    if (isParameterInput(input)) {
      parts.push(`${input}=${stableJson(params[parameterName(input)])}`);
      continue;
    }
    const dataset = catalog.get(input);
    if (dataset.persisted) {
      parts.push(`${input}@${(await dataset.digest()) ?? "missing"}`);
    } else {
      const key = memoryKey(input);
      if (key === undefined) return undefined;
      parts.push(`${input}#${key}`);
    }
  }
  return createHash("sha256").update(parts.join("\n")).digest("hex");
}
