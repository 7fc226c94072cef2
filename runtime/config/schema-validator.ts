/**
 * JSON-schema validation with Ajv, the validator Fastify runs on requests, so that parameters and configs are
 * checked exactly as strictly as HTTP bodies (bounds, lengths, patterns, formats, tuples). Ajv's errors are
 * reworded in the project's message shape: where, what was expected, what was given.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { JsonSchema } from "../pipeline/definition.ts";
import { describeSchemaType, resolveRef, type SchemaProblem } from "./json-schema.ts";

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = addFormats(new Ajv({ allErrors: true, strict: false, validateFormats: true }));
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The value at a JSON pointer inside `root`. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split("/").slice(1)) {
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

/** The subschema at Ajv's schema path ("#/properties/x/anyOf"), up to the failing keyword. */
function schemaAt(root: JsonSchema, schemaPath: string): JsonSchema {
  let node: unknown = root;
  const parts = schemaPath.replace(/^#\//, "").split("/").slice(0, -1);
  for (const part of parts)
    node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return typeof node === "object" && node !== null ? resolveRef(node as JsonSchema, root) : {};
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** One Ajv error in the project's words. */
function problemOf(error: ErrorObject, value: unknown, root: JsonSchema): SchemaProblem {
  const path = error.instancePath;
  const got = valueAt(value, path);
  const shown = JSON.stringify(got);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "type":
      return { path, message: `expected ${String(p["type"]).split(",").join(" | ")}, got ${typeOf(got)} ${shown}` };
    case "required":
      return { path: `${path}/${String(p["missingProperty"])}`, message: "is required" };
    case "additionalProperties":
      return { path: `${path}/${String(p["additionalProperty"])}`, message: "is not allowed" };
    case "enum":
      return { path, message: `expected one of ${describeSchemaType({ enum: p["allowedValues"] })}, got ${shown}` };
    case "const":
      return { path, message: `expected ${JSON.stringify(p["allowedValue"])}, got ${shown}` };
    case "anyOf":
    case "oneOf":
      return { path, message: `expected ${describeSchemaType(schemaAt(root, error.schemaPath), root)}, got ${shown}` };
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return {
        path,
        message: `must be ${String(p["comparison"]).replace(">=", "≥").replace("<=", "≤")} ${String(p["limit"])}, got ${shown}`,
      };
    case "minLength":
    case "maxLength":
      return {
        path,
        message: `must have ${error.keyword === "minLength" ? "at least" : "at most"} ${plural(Number(p["limit"]), "character")}, got ${shown}`,
      };
    case "minItems":
    case "maxItems":
      return {
        path,
        message: `must have ${error.keyword === "minItems" ? "at least" : "at most"} ${plural(Number(p["limit"]), "item")}, got ${Array.isArray(got) ? got.length : shown}`,
      };
    case "pattern":
      return { path, message: `must match /${String(p["pattern"])}/, got ${shown}` };
    case "format":
      return { path, message: `must be a valid ${String(p["format"])}, got ${shown}` };
    default:
      return { path, message: `${error.message ?? `fails ${error.keyword}`}, got ${shown}` };
  }
}

/** Paths of NaN and ±Infinity inside `value` (YAML's `.nan`, `.inf`): JSON has no such numbers, and Ajv lets them pass. */
function nonFinite(value: unknown, path = ""): SchemaProblem[] {
  if (typeof value === "number")
    return Number.isFinite(value) ? [] : [{ path, message: `expected a finite number, got ${value}` }];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => nonFinite(item, `${path}/${key}`));
}

/** Problems of `value` against `schema`; an empty list when it conforms. */
export function validateSchema(value: unknown, schema: JsonSchema): SchemaProblem[] {
  const infinite = nonFinite(value);
  if (infinite.length > 0) return infinite;
  const validate = validatorFor(schema);
  if (validate(value)) return [];
  const errors = validate.errors ?? [];
  // A failed anyOf/oneOf says what was expected at its path; its branches' own errors only repeat that.
  const unions = errors
    .filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
    .map((e) => e.schemaPath.replace(/\/(anyOf|oneOf)$/, ""));
  const kept = errors.filter(
    (e) =>
      e.keyword === "anyOf" ||
      e.keyword === "oneOf" ||
      !unions.some((u) => e.schemaPath.startsWith(`${u}/anyOf/`) || e.schemaPath.startsWith(`${u}/oneOf/`)),
  );
  const seen = new Set<string>();
  return kept
    .map((error) => problemOf(error, value, schema))
    .filter((problem) => {
      const key = `${problem.path} ${problem.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
