/** POST /echo (bench mode only): validates like POST /predict and sends the input back, the baseline bench/serve.ts compares /predict with. */
import type { FastifyPluginAsync } from "fastify";
import { REQUEST_ID, type ServingSchemas } from "../schemas.ts";

/** What the route needs. */
export interface EchoRouteOptions {
  schemas: ServingSchemas;
}

/** Registers POST /echo. */
export const echoRoute: FastifyPluginAsync<EchoRouteOptions> = async (app, { schemas }) => {
  const single = { $ref: `${REQUEST_ID}#` };
  app.post("/echo", { schema: { hide: true, body: schemas.predictBody } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>;
    const batch = Array.isArray(body["instances"]);
    return reply.serializer(reply.compileSerializationSchema(batch ? schemas.batchRequest : single, "200")).send(body);
  });
};
