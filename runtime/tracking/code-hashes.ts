/**
 * The run tag that records the code of each node a run had (`{node: sha256}` as JSON): what
 * `cellforge start` compares to reuse a registered model, and what `runs show` and the UI list as
 * the run's node code.
 */
import type { Pipeline } from "../pipeline/definition.ts";
import { stableJson } from "@cellforge/contract";

/** The tag's name. */
export const CODE_HASHES_TAG = "cellforge.codeHashes";

/** The tag value of `pipeline`'s node code hashes. */
export function codeHashesTag(pipeline: Pipeline): string {
  return stableJson(Object.fromEntries(pipeline.nodes.map((node) => [node.name, node.codeHash])));
}

/** The node code hashes a run's tags record, or undefined when they record none (or something else under the name). */
export function recordedCodeHashes(tags: Readonly<Record<string, string>>): Record<string, string> | undefined {
  const text = tags[CODE_HASHES_TAG];
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    const entries = Object.entries(value);
    return entries.every(([, hash]) => typeof hash === "string")
      ? Object.fromEntries(entries as [string, string][])
      : undefined;
  } catch {
    return undefined;
  }
}

/** A run's tags split for display: the node code hashes they record, and the other tags (the code-hashes tag too when it does not read as hashes). */
export function splitCodeHashes(tags: Readonly<Record<string, string>>): {
  codeHashes: Record<string, string> | undefined;
  otherTags: [string, string][];
} {
  const codeHashes = recordedCodeHashes(tags);
  return {
    codeHashes,
    otherTags: Object.entries(tags).filter(([key]) => codeHashes === undefined || key !== CODE_HASHES_TAG),
  };
}
