/** GET /model: what is being served — name, version, run, metrics, request and response schemas, training data digest — and the process's TF.js tensor count. */
import type { FastifyPluginAsync } from "fastify";
import { tf } from "../../tfjs/backend.ts";
import type { ModelSlot } from "../model-slot.ts";
import type { ServerState } from "../server-state.ts";

/** What the route needs. */
export interface ModelRouteOptions {
  slot: ModelSlot;
  state: ServerState;
  /** The reference the server re-resolves on reload, e.g. "train@champion". */
  reference: string;
  /** The prediction field counted by class in /metrics. */
  classField: string | undefined;
  /** The TF.js backend in use, e.g. "wasm (SIMD)". */
  backend: () => string | undefined;
}

/** Registers GET /model. */
export const modelRoute: FastifyPluginAsync<ModelRouteOptions> = async (
  app,
  { slot, state, reference, classField, backend },
) => {
  app.get(
    "/model",
    {
      schema: {
        summary: "The served model version and its contract",
        tags: ["model"],
        response: {
          200: { type: "object", additionalProperties: true },
          503: { type: "object", additionalProperties: true },
        },
      },
    },
    async (_request, reply) => {
      const model = slot.model;
      if (model === undefined)
        return reply
          .code(503)
          .send({ error: "NOT_READY", message: "The model is still loading; retry once GET /ready answers 200." });
      const v = model.version;
      return {
        name: v.name,
        version: v.version,
        aliases: v.aliases,
        reference,
        runId: v.runId ?? null,
        registeredAt: new Date(v.createdAt).toISOString(),
        loadedAt: model.loadedAt.toISOString(),
        metrics: v.metrics,
        inputSchema: v.inputSchema,
        outputSchema: v.outputSchema,
        trainingDataDigest: v.trainingDataDigest ?? null,
        trainingData: v.inputs.map((i) => ({ name: i.name, digest: i.digest })),
        artifacts: v.artifacts.map((a) => ({ dataset: a.dataset, type: a.type, sha256: a.sha256 })),
        predictSource: model.source,
        classField: classField ?? null,
        backend: backend() ?? null,
        numTensors: tf.memory().numTensors,
        lastReload: state.lastReload ?? null,
      };
    },
  );
};
