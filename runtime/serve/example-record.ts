/** A plausible value for a JSON schema: the warm-up request that calibrates the batcher, and the example in the API docs. */
import type { JsonSchema } from "../pipeline/definition.ts";
import { isSchema } from "../config/json-schema.ts";

function firstType(schema: JsonSchema): string | undefined {
  const type = schema["type"];
  if (typeof type === "string") return type;
  if (Array.isArray(type))
    return (type as unknown[]).find((t): t is string => typeof t === "string" && t !== "null") ?? "null";
  return undefined;
}

/** A value `schema` accepts when one is easy to make (enum, const, bounds, required properties), else undefined. */
export function exampleFor(schema: JsonSchema, depth = 0): unknown {
  if (depth > 8) return undefined;
  if ("const" in schema) return schema["const"];
  if (Array.isArray(schema["enum"]) && schema["enum"].length > 0) return schema["enum"][0];
  if ("default" in schema) return schema["default"];
  for (const key of ["anyOf", "oneOf"]) {
    const list = schema[key];
    if (Array.isArray(list)) {
      for (const option of list) {
        const value = isSchema(option) ? exampleFor(option, depth + 1) : undefined;
        if (value !== undefined) return value;
      }
      return undefined;
    }
  }
  const minimum =
    typeof schema["minimum"] === "number"
      ? schema["minimum"]
      : typeof schema["exclusiveMinimum"] === "number"
        ? schema["exclusiveMinimum"] + 1
        : undefined;
  const maximum = typeof schema["maximum"] === "number" ? schema["maximum"] : undefined;
  switch (firstType(schema)) {
    case "number":
      return minimum ?? (maximum !== undefined ? Math.min(1, maximum) : 1);
    case "integer":
      return Math.ceil(minimum ?? (maximum !== undefined ? Math.min(1, maximum) : 1));
    case "string":
      return schema["format"] === "date-time"
        ? new Date(0).toISOString()
        : "a".repeat(typeof schema["minLength"] === "number" ? schema["minLength"] : 1);
    case "boolean":
      return false;
    case "null":
      return null;
    case "array": {
      const min = typeof schema["minItems"] === "number" ? schema["minItems"] : 0;
      if (Array.isArray(schema["items"]))
        return (schema["items"] as unknown[]).map((s) => (isSchema(s) ? exampleFor(s, depth + 1) : null));
      if (min === 0) return [];
      const item = isSchema(schema["items"]) ? exampleFor(schema["items"], depth + 1) : undefined;
      return item === undefined ? undefined : Array.from({ length: min }, () => item);
    }
    case "object": {
      const properties = isSchema(schema["properties"]) ? schema["properties"] : {};
      const required = new Set(Array.isArray(schema["required"]) ? (schema["required"] as string[]) : []);
      const entries: [string, unknown][] = [];
      for (const [name, property] of Object.entries(properties)) {
        const value = isSchema(property) ? exampleFor(property, depth + 1) : undefined;
        if (value === undefined) {
          if (required.has(name)) return undefined;
          continue;
        }
        entries.push([name, value]);
      }
      return Object.fromEntries(entries);
    }
    default:
      return undefined;
  }
}
