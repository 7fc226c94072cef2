/**
 * Whether a new request (input) schema breaks clients of an old one: a removed field, a field
 * whose type narrowed or changed, a newly required field, enum values no longer accepted.
 * Adding an optional field or widening a type (integer → number) is not breaking.
 */
import { resolveRef } from "../config/json-schema.ts";
import type { JsonSchema } from "../pipeline/definition.ts";

function schemaAt(value: unknown): JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as JsonSchema) : {};
}

function typesOf(schema: JsonSchema): Set<string> | undefined {
  const type = schema["type"];
  if (typeof type === "string") return new Set([type]);
  if (Array.isArray(type)) return new Set(type as string[]);
  return undefined;
}

function accepts(newTypes: Set<string>, oldType: string): boolean {
  return newTypes.has(oldType) || (oldType === "integer" && newTypes.has("number"));
}

function label(path: string): string {
  return path === "" ? "the request" : `field \`${path}\``;
}

/** Human-readable breaking changes from `before` to `after` (empty when compatible). */
export function breakingChanges(
  before: JsonSchema,
  after: JsonSchema,
  rootBefore: JsonSchema = before,
  rootAfter: JsonSchema = after,
  path = "",
): string[] {
  const old = resolveRef(before, rootBefore);
  const now = resolveRef(after, rootAfter);
  const changes: string[] = [];

  const oldTypes = typesOf(old);
  const newTypes = typesOf(now);
  if (newTypes !== undefined) {
    const lost = oldTypes === undefined ? [] : [...oldTypes].filter((t) => !accepts(newTypes, t));
    if (oldTypes === undefined || lost.length > 0) {
      changes.push(
        `${label(path)} changed type from ${oldTypes === undefined ? "any" : [...oldTypes].join(" | ")} to ${[...newTypes].join(" | ")}`,
      );
      return changes;
    }
  }
  if (Array.isArray(now["enum"])) {
    const allowed = new Set((now["enum"] as unknown[]).map((v) => JSON.stringify(v)));
    const previous = Array.isArray(old["enum"]) ? (old["enum"] as unknown[]) : undefined;
    if (previous === undefined) changes.push(`${label(path)} is now limited to ${[...allowed].join(", ")}`);
    else {
      const dropped = previous.filter((v) => !allowed.has(JSON.stringify(v)));
      if (dropped.length > 0)
        changes.push(`${label(path)} no longer accepts ${dropped.map((v) => JSON.stringify(v)).join(", ")}`);
    }
  }

  const oldProps = schemaAt(old["properties"]);
  const newProps = schemaAt(now["properties"]);
  for (const [name, schema] of Object.entries(oldProps)) {
    const child = path === "" ? name : `${path}.${name}`;
    if (!(name in newProps)) changes.push(`${label(child)} was removed`);
    else changes.push(...breakingChanges(schemaAt(schema), schemaAt(newProps[name]), rootBefore, rootAfter, child));
  }
  const oldRequired = new Set(Array.isArray(old["required"]) ? (old["required"] as string[]) : []);
  for (const name of Array.isArray(now["required"]) ? (now["required"] as string[]) : []) {
    if (!oldRequired.has(name) && name in oldProps)
      changes.push(`${label(path === "" ? name : `${path}.${name}`)} is now required`);
    else if (!oldRequired.has(name))
      changes.push(`${label(path === "" ? name : `${path}.${name}`)} is new and required`);
  }
  if (
    old["additionalProperties"] !== false &&
    now["additionalProperties"] === false &&
    Object.keys(oldProps).length === 0 &&
    oldTypes?.has("object") === true
  ) {
    changes.push(`${label(path)} no longer accepts extra fields`);
  }
  if (now["items"] !== undefined && !Array.isArray(now["items"])) {
    changes.push(
      ...breakingChanges(schemaAt(old["items"]), schemaAt(now["items"]), rootBefore, rootAfter, `${path}[]`),
    );
  }
  return changes;
}
