/** GET /metrics: the Prometheus text exposition (of this process, or of every worker under --workers). */
import type { FastifyPluginAsync } from "fastify";

/** What the route needs. */
export interface MetricsRouteOptions {
  /** The exposition text. */
  exposition: () => Promise<string>;
  contentType: string;
}

/** Registers GET /metrics. */
export const metricsRoute: FastifyPluginAsync<MetricsRouteOptions> = async (app, { exposition, contentType }) => {
  app.get(
    "/metrics",
    { schema: { summary: "Prometheus metrics", tags: ["health"], produces: ["text/plain"] } },
    async (_request, reply) => reply.type(contentType).send(await exposition()),
  );
};
