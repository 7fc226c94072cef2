// What changed between the committed modules and a fresh extraction, in the user's words ("parameter epochs: 300 → 5", "node `train` changed").
import type { GeneratedFile } from "../codegen/generate.ts";

/** The top-level `key: value` entries of an object literal's text (between its braces), split at depth-0 commas outside strings. */
function objectEntries(body: string): Map<string, string> {
  const entries = new Map<string, string>();
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "[" || c === "{" || c === "(") depth++;
    else if (c === "]" || c === "}" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  for (const part of parts) {
    const entry = /^\s*("[^"]+"|[\w$]+)\s*:\s*([\s\S]*?)\s*$/.exec(part);
    if (entry !== null) entries.set((entry[1] ?? "").replace(/^"|"$/g, ""), (entry[2] ?? "").replace(/\s+/g, " ").replace(/\[ /g, "[").replace(/,? \]/g, "]").replace(/,? \}/g, " }"));
  }
  return entries;
}

/** The `defaults` object of a generated parameters.ts, as name → value text ("300", "[64, 32]"). */
function parameterDefaults(text: string | undefined): Map<string, string> {
  if (text === undefined) return new Map();
  const start = /^export const defaults\b[^=]*=\s*\{/m.exec(text);
  if (start === null) return new Map();
  const open = start.index + start[0].length;
  let depth = 1;
  let quote: string | undefined;
  let i = open;
  for (; i < text.length && depth > 0; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return objectEntries(text.slice(open, i - 1));
}

/** The exported functions of a generated nodes.ts, by name, with their text. */
function nodeFunctions(text: string | undefined): Map<string, string> {
  const functions = new Map<string, string>();
  if (text === undefined) return functions;
  const starts = [...text.matchAll(/^export (?:async )?function ([\w$]+)/gm)];
  starts.forEach((match, index) => {
    const end = starts[index + 1]?.index ?? text.length;
    functions.set(match[1] ?? "", text.slice(match.index, end));
  });
  return functions;
}

function compareNamed(kind: string, before: Map<string, string>, after: Map<string, string>, describeChange: (name: string, from: string, to: string) => string): string[] {
  const changes: string[] = [];
  for (const [name, value] of after) {
    const old = before.get(name);
    if (old === undefined) changes.push(`${kind} ${name} added`);
    else if (old !== value) changes.push(describeChange(name, old, value));
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push(`${kind} ${name} removed`);
  return changes;
}

/** One phrase per change, in the order a user cares: parameters, nodes, shared code, the predict cell, the wiring. */
export function describeDrift(existing: ReadonlyMap<string, string>, planned: readonly GeneratedFile[]): string[] {
  if (existing.size === 0) return ["not extracted yet"];
  const plannedText = new Map(planned.map((f) => [f.name, f.text]));
  // The header's hashes differ whenever anything does; only the code says what changed.
  const code = (text: string | undefined): string | undefined => text?.replace(/^\/\/ notebook sha256:\S+ extractor:\S+$/m, "");
  const changed = (name: string): boolean => code(existing.get(name)) !== code(plannedText.get(name));
  const changes: string[] = [];
  if (changed("parameters.ts")) {
    const parameters = compareNamed("parameter", parameterDefaults(existing.get("parameters.ts")), parameterDefaults(plannedText.get("parameters.ts")), (name, from, to) => `parameter ${name}: ${from} → ${to}`);
    changes.push(...(parameters.length > 0 ? parameters : ["parameter types or descriptions changed"]));
  }
  if (changed("nodes.ts")) {
    const nodes = compareNamed("node", nodeFunctions(existing.get("nodes.ts")), nodeFunctions(plannedText.get("nodes.ts")), (name) => `node ${name} changed`);
    changes.push(...(nodes.length > 0 ? nodes : ["node imports changed"]));
  }
  if (changed("shared.ts")) changes.push("shared code changed");
  if (changed("predict.ts")) changes.push("predict cell changed");
  if (changes.length === 0 && changed("pipeline.ts")) changes.push("node inputs or outputs changed");
  return changes;
}
