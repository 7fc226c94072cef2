/**
 * A small JSON-schema validator for the subset the extractor emits from TypeScript types:
 * type, enum, const, required, properties, additionalProperties, items, anyOf/oneOf,
 * minimum/maximum and local $refs.
 */
import type { JsonSchema } from "../pipeline/definition.ts";

/** One mismatch: where (a JSON-pointer-like path, "" for the root) and what is wrong. */
export interface SchemaProblem {
  path: string;
  message: string;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    case "null":
      return value === null;
    default:
      return typeof value === type;
  }
}

/** Whether `value` is a (sub)schema: a JSON object. */
export function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asSchema(value: unknown): JsonSchema | undefined {
  return isSchema(value) ? value : undefined;
}

/** The types a schema declares (`"type": "number"` or `["number", "null"]`); empty when it declares none. */
export function schemaTypes(schema: JsonSchema): string[] {
  const type = schema["type"];
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

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

/** Problems of `value` against `schema`; an empty list when it conforms. */
export function validateSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema, path = ""): SchemaProblem[] {
  const s = resolveRef(schema, root);
  const at = (message: string): SchemaProblem[] => [{ path, message }];

  const union = s["anyOf"] ?? s["oneOf"];
  if (Array.isArray(union)) {
    const ok = union.some((option) => validateSchema(value, asSchema(option) ?? {}, root, path).length === 0);
    if (!ok) return at(`expected ${describeSchemaType(s, root)}, got ${JSON.stringify(value)}`);
  }
  if (Array.isArray(s["enum"]) && !(s["enum"] as unknown[]).some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    return at(`expected one of ${describeSchemaType({ enum: s["enum"] })}, got ${JSON.stringify(value)}`);
  }
  if ("const" in s && JSON.stringify(s["const"]) !== JSON.stringify(value)) {
    return at(`expected ${JSON.stringify(s["const"])}, got ${JSON.stringify(value)}`);
  }
  const type = s["type"];
  const types = Array.isArray(type) ? (type as string[]) : typeof type === "string" ? [type] : undefined;
  if (types !== undefined && !types.some((t) => matchesType(value, t))) {
    return at(`expected ${types.join(" | ")}, got ${typeOf(value)} ${JSON.stringify(value)}`);
  }
  if (typeof value === "number") {
    if (typeof s["minimum"] === "number" && value < s["minimum"]) return at(`must be ≥ ${s["minimum"]}, got ${value}`);
    if (typeof s["maximum"] === "number" && value > s["maximum"]) return at(`must be ≤ ${s["maximum"]}, got ${value}`);
  }
  if (Array.isArray(value)) {
    const items = s["items"];
    if (Array.isArray(items)) {
      return value.flatMap((item, i) => {
        const itemSchema = asSchema(items[i]);
        return itemSchema === undefined ? [] : validateSchema(item, itemSchema, root, `${path}/${i}`);
      });
    }
    const itemSchema = asSchema(items);
    if (itemSchema !== undefined) return value.flatMap((item, i) => validateSchema(item, itemSchema, root, `${path}/${i}`));
    return [];
  }
  if (matchesType(value, "object")) {
    const record = value as Record<string, unknown>;
    const properties = asSchema(s["properties"]) ?? {};
    const problems: SchemaProblem[] = [];
    for (const name of Array.isArray(s["required"]) ? (s["required"] as string[]) : []) {
      if (!(name in record)) problems.push({ path: `${path}/${name}`, message: "is required" });
    }
    for (const [name, item] of Object.entries(record)) {
      const propertySchema = asSchema(properties[name]);
      if (propertySchema !== undefined) {
        problems.push(...validateSchema(item, propertySchema, root, `${path}/${name}`));
      } else if (s["additionalProperties"] === false) {
        problems.push({ path: `${path}/${name}`, message: "is not allowed" });
      } else {
        const extra = asSchema(s["additionalProperties"]);
        if (extra !== undefined) problems.push(...validateSchema(item, extra, root, `${path}/${name}`));
      }
    }
    return problems;
  }
  return [];
}
