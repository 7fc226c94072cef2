/**
 * The HTTP contract of one model version: its route schemas (schemas.ts), and the validators
 * compiled from them with Ajv, the compiler Fastify itself uses, with the server's strict options.
 * Each served version carries its own, so a reload to a version with another request or response
 * schema changes what is validated and documented. Answers are written by json-bytes.ts, as the
 * predict function returned them.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { JsonSchema } from "../pipeline/definition.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { servingSchemas, type ServingSchemas } from "./schemas.ts";

// ajv-formats is CommonJS: its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** Ajv options of every request validator: refuse, never repair (no coercion, no removal of extra fields, no NaN). */
export const STRICT_AJV_OPTIONS = {
  coerceTypes: false,
  removeAdditional: false,
  allErrors: false,
  strictNumbers: true,
  useDefaults: true,
  addUsedSchema: false,
} as const;

/**
 * A batch body whose rows a route has read and validated itself, a piece at a time (row-validation.ts), against the
 * contract of the version that will predict them: Fastify's validation lets it through as it is.
 */
export class ValidatedRows {
  constructor(readonly instances: unknown[]) {}
}

/** One version's schemas and validators. */
export class ServedContract {
  readonly schemas: ServingSchemas;
  private readonly ajv: Ajv;
  private readonly validators = new WeakMap<object, ValidateFunction>();

  constructor(readonly version: ModelVersion) {
    this.schemas = servingSchemas(version.inputSchema, version.outputSchema);
    this.ajv = addFormats(new Ajv({ ...STRICT_AJV_OPTIONS, strict: false }));
    this.ajv.addSchema(this.schemas.request);
    this.ajv.addSchema(this.schemas.prediction);
  }

  /** "train:3". */
  get label(): string {
    return `${this.version.name}:${this.version.version}`;
  }

  /** `schema` (which may refer to this version's PredictionRequest and Prediction) compiled for validation, once. */
  validator(schema: JsonSchema): ValidateFunction {
    let validate = this.validators.get(schema);
    if (validate === undefined) {
      const id = schema["$id"];
      validate = (typeof id === "string" ? this.ajv.getSchema(id) : undefined) ?? this.ajv.compile(schema);
      this.validators.set(schema, validate);
    }
    return validate;
  }
}
