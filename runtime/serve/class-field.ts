/**
 * The class-like field of a prediction, for the "predictions by class" metric, derived from the
 * response schema: the first field with an `enum` (or `const`), else the first string field, else
 * the first boolean field. For the Pokémon model that is `type`; for a binary classifier with
 * `label: 0 | 1` it is `label`. Values of a free string field are capped at MAX_CLASSES distinct
 * labels (later ones count as "other"), so a field that is not really a class cannot blow up the
 * metric's cardinality.
 */
import type { JsonSchema } from "../pipeline/definition.ts";
import { isSchema } from "../config/json-schema.ts";

/** Most distinct label values one server reports. */
export const MAX_CLASSES = 100;

function hasType(schema: JsonSchema, type: string): boolean {
  const declared = schema["type"];
  return declared === type || (Array.isArray(declared) && declared.includes(type));
}

/** The name of the class-like field of `outputSchema`, or undefined when it has none. */
export function classFieldOf(outputSchema: JsonSchema): string | undefined {
  const properties = isSchema(outputSchema["properties"])
    ? Object.entries(outputSchema["properties"]).filter((e): e is [string, JsonSchema] => isSchema(e[1]))
    : [];
  return (
    properties.find(([, s]) => Array.isArray(s["enum"]) || "const" in s)?.[0] ??
    properties.find(([, s]) => hasType(s, "string") && s["format"] === undefined)?.[0] ??
    properties.find(([, s]) => hasType(s, "boolean"))?.[0]
  );
}

/** Turns predictions into class labels, keeping at most MAX_CLASSES distinct ones. */
export class ClassCounter {
  private readonly seen = new Set<string>();

  constructor(readonly field: string) {}

  /** Counts of each class among `predictions`. */
  count(predictions: readonly unknown[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const prediction of predictions) {
      const value =
        typeof prediction === "object" && prediction !== null
          ? (prediction as Record<string, unknown>)[this.field]
          : undefined;
      let label =
        typeof value === "string"
          ? value
          : typeof value === "number" || typeof value === "boolean"
            ? String(value)
            : value === undefined || value === null
              ? "none"
              : "other";
      if (!this.seen.has(label)) {
        if (this.seen.size >= MAX_CLASSES) label = "other";
        else this.seen.add(label);
      }
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    return counts;
  }
}
