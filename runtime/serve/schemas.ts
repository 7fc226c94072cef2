/**
 * The HTTP contract, built from the registered version's JSON schemas (the notebook's predict
 * types): one request record and one prediction become shared schemas, referenced by every route,
 * so validation (Fastify's Ajv), response serialisation and the OpenAPI document agree.
 */
import type { JsonSchema } from "../pipeline/definition.ts";
import { isSchema } from "../config/json-schema.ts";

/** `$id` of one request record. */
export const REQUEST_ID = "PredictionRequest";
/** `$id` of one prediction. */
export const PREDICTION_ID = "Prediction";
/** Response header of /predict and /invocations naming the version ("train:3") that validated the request and answered it, refusals included. */
export const MODEL_VERSION_HEADER = "model-version";

/**
 * A copy of `schema` where every object with declared properties refuses unknown ones, so an extra
 * field is a 400 rather than silently ignored (the extractor already emits additionalProperties:
 * false; hand-written schemas may not).
 */
export function refuseExtraFields(schema: JsonSchema): JsonSchema {
  const copy: JsonSchema = { ...schema };
  if (isSchema(copy["properties"])) {
    copy["properties"] = Object.fromEntries(
      Object.entries(copy["properties"]).map(([k, v]) => [k, isSchema(v) ? refuseExtraFields(v) : v]),
    );
    if (!("additionalProperties" in copy)) copy["additionalProperties"] = false;
  }
  if (isSchema(copy["items"])) copy["items"] = refuseExtraFields(copy["items"]);
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const list = copy[key];
    if (Array.isArray(list)) copy[key] = list.map((s: unknown) => (isSchema(s) ? refuseExtraFields(s) : s));
  }
  return copy;
}

/** Names of the record's fields in declaration order (the column order of positional MLflow rows). */
export function fieldNames(schema: JsonSchema): string[] {
  return isSchema(schema["properties"]) ? Object.keys(schema["properties"]) : [];
}

/** The schemas the routes use. */
export interface ServingSchemas {
  /** One request record, as registered, with extra fields refused; carries `$id` REQUEST_ID. */
  request: JsonSchema;
  /** One prediction, as registered; carries `$id` PREDICTION_ID. */
  prediction: JsonSchema;
  /** `{"instances": [record…]}`. */
  batchRequest: JsonSchema;
  /** `{"predictions": [prediction…]}`. */
  batchResponse: JsonSchema;
  /** POST /predict's body: a batch when it has `instances`, else one record. */
  predictBody: JsonSchema;
  /** The JSON error body every route answers with. */
  error: JsonSchema;
  /** Field names of a record, in order. */
  fields: string[];
}

/** Builds the route schemas from a version's request and response schemas. */
export function servingSchemas(inputSchema: JsonSchema, outputSchema: JsonSchema): ServingSchemas {
  const request = { ...refuseExtraFields(inputSchema), $id: REQUEST_ID };
  const prediction = { ...outputSchema, $id: PREDICTION_ID };
  const batchRequest: JsonSchema = {
    type: "object",
    properties: { instances: { type: "array", items: { $ref: `${REQUEST_ID}#` } } },
    required: ["instances"],
    additionalProperties: false,
  };
  return {
    request,
    prediction,
    batchRequest,
    batchResponse: {
      type: "object",
      properties: { predictions: { type: "array", items: { $ref: `${PREDICTION_ID}#` } } },
      required: ["predictions"],
    },
    // if/then/else rather than oneOf: Ajv then reports the errors of the one branch the body meant.
    predictBody: {
      if: { type: "object", required: ["instances"] },
      then: batchRequest,
      else: { $ref: `${REQUEST_ID}#` },
    },
    error: {
      type: "object",
      properties: {
        error: { type: "string", description: "A stable code, e.g. INVALID_REQUEST, OVERLOADED, PREDICT_FAILED." },
        message: { type: "string" },
        field: { type: "string", description: "The offending field, when one is to blame." },
        path: { type: "string", description: "JSON pointer of the offending value in the request's rows." },
        error_code: { type: "string", description: "MLflow's error code (POST /invocations only)." },
      },
      required: ["error", "message"],
    },
    fields: fieldNames(inputSchema),
  };
}
