/** Schema pieces the routes share for their OpenAPI description: error responses and request bodies documented differently from how they are validated. */
import type { SwaggerTransform } from "@fastify/swagger";
import type { JsonSchema } from "../../pipeline/definition.ts";
import type { ServingSchemas } from "../schemas.ts";

/** The error responses a prediction route can give, all with the JSON error body. */
export function errorResponses(schemas: ServingSchemas): Record<number, JsonSchema> {
  const error = (description: string): JsonSchema => ({ ...schemas.error, description });
  return {
    400: error("Bad JSON, or a request the model's schema refuses; `field` and `path` name the offending value."),
    413: error(
      "The body is larger than body_limit_bytes, has more rows than max_queue_rows, or (CSV) far more columns than the model takes.",
    ),
    415: error("The body is not JSON (or CSV, for /invocations)."),
    422: error(
      "The model output NaN or Infinity for a row (an input far outside the training range); `message` names the row.",
    ),
    500: error("The model's predict function failed."),
    503: error("At capacity (with a Retry-After header), still loading, or shutting down."),
  };
}

/**
 * A route-level swagger transform that documents `body` as the request body: used where the
 * validation schema is shaped for Ajv (if/then/else, or rows after MLflow envelopes are read) and
 * a client is better served by the shapes it may send.
 */
export function requestBodyDocs(body: JsonSchema): SwaggerTransform {
  return ({ schema, url }) => ({ schema: { ...schema, body }, url });
}
