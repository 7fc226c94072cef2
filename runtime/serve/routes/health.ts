/** GET /health (the process is up), GET /ready (the model is loaded and the server is not draining), and MLflow's GET /ping and GET /version. */
import { readFileSync } from "node:fs";
import type { FastifyPluginAsync } from "fastify";
import type { ModelSlot } from "../model-slot.ts";
import type { ServerState } from "../server-state.ts";

/** What the routes need. */
export interface HealthRoutesOptions {
  state: ServerState;
  slot: ModelSlot;
}

/** The version of @cellforge/runtime, which MLflow's /version answers with its own. */
export const RUNTIME_VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

const status = {
  type: "object",
  properties: {
    status: { type: "string" },
    model: { type: "string" },
    message: { type: "string" },
    lastReload: { type: "object", additionalProperties: true },
  },
  required: ["status"],
};

/** Registers the health routes. */
export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { state, slot }) => {
  app.get(
    "/health",
    { schema: { summary: "Liveness: the process answers", tags: ["health"], response: { 200: status } } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/ready",
    {
      schema: {
        summary: "Readiness: 200 once the model is loaded, 503 while loading, after a failed load, or while draining",
        tags: ["health"],
        response: { 200: status, 503: status },
      },
    },
    async (_request, reply) => {
      const model = slot.model?.label;
      const details = {
        ...(model === undefined ? {} : { model }),
        ...(state.lastReload === undefined ? {} : { lastReload: state.lastReload }),
      };
      if (state.ready) return { status: "ready", ...details };
      const message =
        state.phase === "loading"
          ? "The model is loading."
          : state.phase === "closing"
            ? "The server is shutting down."
            : `The model failed to load: ${state.failure ?? "unknown error"}`;
      return reply.code(503).send({ status: state.phase, message, ...details });
    },
  );

  // MLflow's scoring server answers /ping with 200 and a newline once its model is loaded.
  app.get(
    "/ping",
    { schema: { summary: "MLflow health check: 200 once the model is loaded", tags: ["mlflow"] } },
    async (_request, reply) =>
      reply
        .code(state.ready ? 200 : 503)
        .type("application/json")
        .send("\n"),
  );

  app.get(
    "/version",
    {
      schema: {
        summary: "MLflow's version check: the cellforge runtime version",
        tags: ["mlflow"],
        response: { 200: { type: "string" } },
      },
    },
    async (_request, reply) => reply.type("text/plain").send(RUNTIME_VERSION),
  );
};
