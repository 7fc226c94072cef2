/**
 * The HTTP contract of one model version: its route schemas (schemas.ts), and the validators and
 * serializers compiled from them with Ajv and fast-json-stringify, the compilers Fastify itself
 * uses, with the server's strict options. Each served version carries its own, so a reload to a
 * version with another request or response schema changes what is validated and how answers are
 * written, and a request started on one version is answered with that version's serializer.
 */
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import fastJsonStringify from "fast-json-stringify";
import type { JsonSchema } from "../pipeline/definition.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { PREDICTION_ID, servingSchemas, type ServingSchemas } from "./schemas.ts";

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

/** Writes a value as JSON. */
export type Serializer = (value: unknown) => string;

/** One version's schemas, validators and serializers. */
export class ServedContract {
  readonly schemas: ServingSchemas;
  /** One prediction, for serializing a single answer. */
  readonly single: JsonSchema = { $ref: `${PREDICTION_ID}#` };
  private readonly ajv: Ajv;
  private readonly validators = new WeakMap<object, ValidateFunction>();
  private readonly serializers = new WeakMap<object, Serializer>();

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

  /** `schema` compiled to a JSON writer (fast-json-stringify), once. */
  serializer(schema: JsonSchema): Serializer {
    let serialize = this.serializers.get(schema);
    if (serialize === undefined) {
      const { request, prediction } = this.schemas;
      serialize = fastJsonStringify(schema as never, {
        schema: { [request["$id"] as string]: request, [prediction["$id"] as string]: prediction } as never,
      }) as Serializer;
      this.serializers.set(schema, serialize);
    }
    return serialize;
  }
}
