// Prints JSON values as TypeScript object literals: short ones on one line, longer ones one entry per line.
import type { JsonValue } from "../analysis/json-schema.ts";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const INLINE_WIDTH = 72;

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function inline(value: JsonValue): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  const entries = Object.entries(value);
  return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${key(k)}: ${inline(v)}`).join(", ")} }`;
}

/** The value as a TypeScript literal; nested lines are indented relative to `indent`. */
export function printLiteral(value: JsonValue, indent = ""): string {
  const flat = inline(value);
  if (value === null || typeof value !== "object" || flat.length + indent.length <= INLINE_WIDTH) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return `[\n${value.map((v) => `${inner}${printLiteral(v, inner)},`).join("\n")}\n${indent}]`;
  return `{\n${Object.entries(value)
    .map(([k, v]) => `${inner}${key(k)}: ${printLiteral(v, inner)},`)
    .join("\n")}\n${indent}}`;
}
