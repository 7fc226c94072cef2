/** The try-it form: GET /ui/try a form shaped by the served model's request schema, GET /ui/api/samples?name= a row of the catalog's CSV data as a request record. */
import type { FastifyPluginAsync } from "fastify";
import type { ModelVersion } from "../../registry/registry-store.ts";
import { UiError } from "../errors.ts";
import type { SendPage } from "../page-reply.ts";
import { tryPage } from "../pages/try.ts";
import type { UiProject } from "../project.ts";
import { queryText } from "../query.ts";
import { defaultSampleRecord, sampleLabels, sampleRecord } from "../sample-record.ts";

/** What the routes need. */
export interface TryRoutesOptions {
  project: UiProject;
  /** The version served now, if any: the form posts to its /predict. */
  served: () => ModelVersion | undefined;
  sendPage: SendPage;
}

/** Registers the try-it page and its samples. */
export const tryRoutes: FastifyPluginAsync<TryRoutesOptions> = async (app, { project, served, sendPage }) => {
  app.get("/try", { schema: { hide: true } }, async (_request, reply) => {
    const version = served();
    const datasets = project.csvDatasets();
    const sample = version === undefined ? undefined : defaultSampleRecord(datasets, version.inputSchema);
    return sendPage(
      reply,
      "Try it",
      "try",
      tryPage({ version, sample, labels: version === undefined ? [] : sampleLabels(datasets) }),
    );
  });

  app.get("/api/samples", { schema: { hide: true } }, async (request) => {
    const version = served();
    if (version === undefined)
      throw new UiError(
        404,
        "NO_MODEL",
        "This server serves no model, so it has no request schema to shape a sample with.",
      );
    const name = queryText((request.query as Record<string, unknown>)["name"]);
    const sample = sampleRecord(project.csvDatasets(), version.inputSchema, name === "" ? undefined : name);
    if (sample === undefined)
      throw new UiError(
        404,
        "NO_SAMPLE",
        `No row named ${name} in the catalog's CSV datasets makes a valid request record.`,
      );
    return sample;
  });
};
