/** GET /ui/pipeline: a pipeline's DAG (`?name=`, default `train` or the first), its datasets' catalog types, optionally its parameters. */
import type { FastifyPluginAsync } from "fastify";
import { pipelinePage } from "../pages/pipeline.ts";
import type { SendPage } from "../page-reply.ts";
import type { CatalogTypes } from "../pipeline-graph.ts";
import { PipelineUnavailableError, type UiProject, UnknownPipelineError } from "../project.ts";
import { queryText } from "../query.ts";

/** What the route needs. */
export interface PipelineRouteOptions {
  project: UiProject;
  sendPage: SendPage;
}

/** Registers GET /ui/pipeline. */
export const pipelineRoute: FastifyPluginAsync<PipelineRouteOptions> = async (app, { project, sendPage }) => {
  app.get("/pipeline", { schema: { hide: true } }, async (request, reply) => {
    const names = project.pipelineNames();
    const query = request.query as Record<string, unknown>;
    const wanted = queryText(query["name"]) || (names.includes("train") ? "train" : names[0]);
    const parameters = queryText(query["parameters"]) === "1";
    let pipeline;
    let error: string | undefined;
    let status = 200;
    if (wanted !== undefined) {
      try {
        pipeline = await project.pipeline(wanted);
      } catch (e) {
        if (!(e instanceof UnknownPipelineError || e instanceof PipelineUnavailableError)) throw e;
        error = e.message;
        status = e instanceof UnknownPipelineError ? 404 : 500;
      }
    }
    const catalog = project.catalog(pipeline?.name) as CatalogTypes;
    const title = pipeline === undefined ? "Pipeline" : `Pipeline ${pipeline.name}`;
    return sendPage(reply, title, "pipeline", pipelinePage({ names, pipeline, catalog, parameters, error }), {
      status,
    });
  });
};
