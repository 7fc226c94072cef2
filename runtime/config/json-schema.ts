/**
 * Reading the JSON schemas the extractor emits from TypeScript types: their declared types, local $refs,
 * and a TypeScript-like rendering for messages. Validation is Ajv's (schema-validator.ts).
 */
import type { JsonSchema } from "../pipeline/definition.ts";

/** One mismatch: where (a JSON-pointer-like path, "" for the root) and what is wrong. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** Whether `value` is a (sub)schema: a JSON object. */
export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asSchema(value: unknown): JsonSchema | undefined {
  return isSchema(value) ? value : undefined;
}

// The catalog's CSV typing reads schemas too, and the catalog layer does not import this one.
export { schemaTypes } from "../catalog/cell-typing.ts";

/** Follows a local `$ref` ("#/definitions/X", "#/$defs/X") against the root schema. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema["$ref"];
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let node: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    node = asSchema(node)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return asSchema(node) ?? schema;
}

/** A short TypeScript-like rendering of a schema's type, for messages: `number`, `"a" | "b"`, `string[]`. */
export function describeSchemaType(schemaIn: JsonSchema, root: JsonSchema = schemaIn): string {
  const schema = resolveRef(schemaIn, root);
  if (Array.isArray(schema["enum"])) return (schema["enum"] as unknown[]).map((v) => JSON.stringify(v)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema["const"]);
  const union = schema["anyOf"] ?? schema["oneOf"];
  if (Array.isArray(union)) return union.map((s) => describeSchemaType(asSchema(s) ?? {}, root)).join(" | ");
  const type = schema["type"];
  if (Array.isArray(type)) return type.join(" | ");
  if (type === "array") {
    const items = asSchema(schema["items"]);
    return items === undefined ? "array" : `${describeSchemaType(items, root)}[]`;
  }
  return typeof type === "string" ? type : "any";
}
