/** POST /predict: one record → one prediction, or {"instances": [...]} → {"predictions": [...]}, through the micro-batcher. */
import type { FastifyPluginAsync } from "fastify";
import type { Batcher } from "../batcher.ts";
import { MODEL_VERSION_HEADER, PREDICTION_ID, REQUEST_ID, type ServingSchemas } from "../schemas.ts";
import type { ServedContract } from "../served-contract.ts";
import type { ServedModel } from "../served-model.ts";
import { PredictionsAnswer } from "../json-answer.ts";
import { jsonBytes } from "../json-bytes.ts";
import { admission } from "./admission.ts";
import { errorResponses, requestBodyDocs } from "./docs-schemas.ts";

/** Answers are written as bytes (json-bytes.ts, as /invocations writes them), which Fastify sends untyped. */
const JSON_TYPE = "application/json; charset=utf-8";

/** What the route needs. */
export interface PredictRouteOptions {
  batcher: Batcher;
  schemas: ServingSchemas;
  /** The contract of the version served now (what validated this request). */
  contract: () => ServedContract;
  /** The model served now: a request is predicted and answered by the version it was validated for. */
  served: () => ServedModel | undefined;
}

/** Registers POST /predict. */
export const predictRoute: FastifyPluginAsync<PredictRouteOptions> = async (
  app,
  { batcher, schemas, contract, served },
) => {
  const single = { $ref: `${PREDICTION_ID}#` };
  const schema = {
    summary: "Predict one record or a batch",
    description:
      'Send one record (the model\'s request schema) to get one prediction, or `{"instances": [record, …]}` to get `{"predictions": [prediction, …]}` in the same order. ' +
      "Concurrent requests are micro-batched into one model call.",
    tags: ["predict"],
    body: schemas.predictBody,
    response: {
      200: {
        description: "One prediction for one record; {predictions} for {instances}.",
        anyOf: [single, schemas.batchResponse],
      },
      ...errorResponses(schemas),
    },
  };
  app.post(
    "/predict",
    {
      schema,
      onRequest: admission(batcher),
      // Before validation: Ajv would otherwise walk every row of a request that is refused anyway.
      preValidation: (request, reply, done) => {
        // In the turn validation runs in: the version named is the one that validates, predicts and answers.
        void reply.header(MODEL_VERSION_HEADER, contract().label);
        const instances = (request.body as { instances?: unknown } | null)?.instances;
        done(Array.isArray(instances) ? batcher.rowLimitRefusal(instances.length) : undefined);
      },
      config: { swaggerTransform: requestBodyDocs({ oneOf: [{ $ref: `${REQUEST_ID}#` }, schemas.batchRequest] }) },
    },
    async (request, reply) => {
      // Taken in the turn validation ran in, so the version that validated the body predicts and answers it.
      const model = served();
      const body = request.body as Record<string, unknown>;
      if (Array.isArray(body["instances"])) {
        const answer = new PredictionsAnswer();
        const rows = body["instances"];
        const predictions = await batcher.submit(
          rows,
          request.raw.socket,
          request.bodyReceivedAt,
          model,
          answer.predicted,
        );
        return reply.type(JSON_TYPE).send(await answer.finish(predictions));
      }
      const [prediction] = await batcher.submit([body], request.raw.socket, request.bodyReceivedAt, model);
      return reply.type(JSON_TYPE).send(jsonBytes(prediction));
    },
  );
};
