/**
 * The web UI as a Fastify plugin, mounted under /ui by the prediction server (or alone by
 * `cellforge ui` when no model is registered): server-rendered pages for runs, a run, a comparison,
 * the registry, the pipeline DAG and a try-it form; JSON under /ui/api; static assets (the page
 * script, the stylesheet and uPlot's files from node_modules) under /ui/assets.
 */
import { adminTokenCheck, normalizedAdminToken } from "../serve/admin-token.ts";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { DEFAULT_ENV } from "../config/config-loader.ts";
import { BreakingSchemaError, ModelNotFoundError, RegistryError } from "../registry/errors.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { readRunFilter, RunFilterError } from "../tracking/run-filter.ts";
import { AmbiguousRunIdError, type RunDetails } from "../tracking/store.ts";
import { html, type Html } from "./html.ts";
import { page, type Section } from "./layout.ts";
import { comparePage } from "./pages/compare.ts";
import { modelsPage } from "./pages/models.ts";
import { pipelinePage } from "./pages/pipeline.ts";
import { runPage } from "./pages/run.ts";
import { runsPage, sortRuns, type RunSort } from "./pages/runs.ts";
import { chosenPipeline, declaredMetrics, pipelinesOf } from "./runs-view.ts";
import { tryPage } from "./pages/try.ts";
import type { CatalogTypes } from "./pipeline-graph.ts";
import { withoutLocalPaths } from "./local-paths.ts";
import { PipelineUnavailableError, UiProject, UnknownPipelineError } from "./project.ts";
import { defaultSampleRecord, sampleLabels, sampleRecord } from "./sample-record.ts";

/** How to mount the UI. */
export interface UiPluginOptions {
  /** Project root. */
  root: string;
  /** Configuration environment (for tracking.yml and the catalog); default "local". */
  env?: string;
  /** The admin token (CELLFORGE_ADMIN_TOKEN): promotion is refused without it. */
  adminToken?: string | undefined;
  /** The version being served now, if any: the try-it form posts to its /predict. */
  served?: () => ModelVersion | undefined;
  /** Called after an alias moved, e.g. to reload a server that serves that alias; resolves to a message for the user. */
  onPromote?: (name: string, alias: string) => Promise<string | undefined>;
}

const here = dirname(fileURLToPath(import.meta.url));
const requireFromHere = createRequire(import.meta.url);

/** Files served under /ui/assets, by name. */
const ASSETS: Record<string, { path: () => string; type: string }> = {
  "ui.css": { path: () => join(here, "assets/ui.css"), type: "text/css; charset=utf-8" },
  "ui.js": { path: () => join(here, "assets/ui.js"), type: "text/javascript; charset=utf-8" },
  "uPlot.iife.min.js": { path: () => requireFromHere.resolve("uplot/dist/uPlot.iife.min.js"), type: "text/javascript; charset=utf-8" },
  "uPlot.min.css": { path: () => requireFromHere.resolve("uplot/dist/uPlot.min.css"), type: "text/css; charset=utf-8" },
};

/** An error a UI route answers with its status (a page for pages, JSON under /ui/api). */
class UiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "UiError";
  }
}

// Scripts only from the server; inline styles for the heat map's cell colours; uPlot draws on canvas.
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

function queryText(value: unknown): string {
  if (Array.isArray(value)) return queryText(value.at(-1));
  return typeof value === "string" ? value : "";
}

function queryList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(queryList);
  return typeof value === "string" && value !== "" ? value.split(",").filter((v) => v !== "") : [];
}

function label(version: ModelVersion | undefined): string | undefined {
  return version === undefined ? undefined : `${version.name}:${version.version}`;
}

/** Registers the UI routes; mount with `{ prefix: "/ui" }`. */
export const uiPlugin: FastifyPluginAsync<UiPluginOptions> = async (app: FastifyInstance, options) => {
  const project = await UiProject.open(options.root, options.env ?? DEFAULT_ENV);
  app.addHook("onClose", async () => project.close());
  const served = options.served ?? (() => undefined);
  const adminToken = normalizedAdminToken(options.adminToken);
  const checkToken = adminToken === undefined ? undefined : adminTokenCheck(adminToken);

  const sendPage = (reply: FastifyReply, title: string, section: Section | undefined, body: Html, extra: { charts?: boolean; status?: number; wide?: boolean } = {}): FastifyReply =>
    reply
      .code(extra.status ?? 200)
      .type("text/html; charset=utf-8")
      .header("content-security-policy", CONTENT_SECURITY_POLICY)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "same-origin")
      .send(page({ title, section, body, served: label(served()), ...(extra.charts === true ? { charts: true } : {}), ...(extra.wide === true ? { wide: true } : {}) }).text);

  const isApi = (request: FastifyRequest): boolean => request.url.startsWith("/ui/api/");

  app.setErrorHandler((error: FastifyError | UiError, request, reply) => {
    const status = error instanceof UiError ? error.statusCode : typeof error.statusCode === "number" && error.statusCode >= 400 ? error.statusCode : 500;
    const code = error instanceof UiError ? error.code : error.validation !== undefined ? "INVALID_REQUEST" : (error.code ?? "INTERNAL");
    if (status >= 500) request.log.error({ err: error }, error.message);
    // The log has the whole message; the page and the JSON never show the machine's paths.
    const message = withoutLocalPaths(error.message, options.root);
    if (isApi(request)) return reply.code(status).type("application/json").send({ error: code, message });
    return sendPage(reply, status === 404 ? "Not found" : "Error", undefined, html`<h1>${status === 404 ? "Not found" : "Something went wrong"}</h1><p class="error" role="alert">${message}</p><p><a href="/ui">Back to the runs</a></p>`, { status });
  });
  app.setNotFoundHandler((request, reply) => {
    const message = `Nothing at ${request.url.split("?")[0]}.`;
    if (isApi(request)) return reply.code(404).type("application/json").send({ error: "NOT_FOUND", message });
    return sendPage(reply, "Not found", undefined, html`<h1>Not found</h1><p>${message}</p><p><a href="/ui">Back to the runs</a></p>`, { status: 404 });
  });

  const findRun = async (id: string): Promise<RunDetails> => {
    let run: RunDetails | undefined;
    try {
      run = await project.store.getRun(id);
    } catch (error) {
      if (error instanceof AmbiguousRunIdError) throw new UiError(400, "RUN_ID_AMBIGUOUS", error.message);
      throw error;
    }
    if (run === undefined) throw new UiError(404, "RUN_NOT_FOUND", `No run has an id starting with ${id}.`);
    return run;
  };

  const listRuns = async (filterText: string): Promise<{ runs: Awaited<ReturnType<typeof project.store.listRuns>>; total: number; error: string | undefined }> => {
    const all = await project.store.listRuns();
    if (filterText.trim() === "") return { runs: all, total: all.length, error: undefined };
    try {
      return { runs: await project.store.searchRuns({ filter: readRunFilter(filterText) }), total: all.length, error: undefined };
    } catch (error) {
      if (error instanceof RunFilterError) return { runs: [], total: all.length, error: error.message };
      throw error;
    }
  };

  const hidden = { schema: { hide: true } };

  const runsRoute = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const query = request.query as Record<string, unknown>;
    const filter = queryText(query["filter"]);
    const sort: RunSort = { key: queryText(query["sort"]) || "started", order: queryText(query["order"]) === "asc" ? "asc" : "desc" };
    const { runs, total, error } = await listRuns(filter);
    const all = filter.trim() === "" ? runs : await project.store.listRuns();
    const pipeline = chosenPipeline(query["pipeline"] === undefined ? undefined : queryText(query["pipeline"]), all, served());
    const metricOrder = pipeline === undefined ? [] : await project.pipeline(pipeline).then(declaredMetrics, () => []);
    const view = { pipeline, pipelines: pipelinesOf(all), metricOrder };
    const body = runsPage({ runs: sortRuns(runs, sort), total, filter, filterError: error, sort, versionsByRun: await project.versionsByRun(), ...view });
    return sendPage(reply, "Runs", "runs", body, { wide: true, ...(error === undefined ? {} : { status: 400 }) });
  };
  app.get("/", hidden, runsRoute);
  app.get("/runs", hidden, runsRoute);

  app.get<{ Params: { id: string } }>("/runs/:id", hidden, async (request, reply) => {
    const run = await findRun(request.params.id);
    const others = (await project.store.listRuns({ pipeline: run.pipeline, limit: 50 })).filter((r) => r.id !== run.id).map((r) => ({ id: r.id, startTime: r.startTime }));
    const body = runPage({ run, matrices: await project.matrices(run), versions: (await project.versionsByRun()).get(run.id), others });
    return sendPage(reply, `Run ${run.id.slice(0, 8)}`, "runs", body, { charts: true });
  });

  app.get("/compare", hidden, async (request, reply) => {
    const ids = [...new Set(queryList((request.query as Record<string, unknown>)["run"]))];
    if (ids.length < 2) throw new UiError(400, "COMPARE_NEEDS_RUNS", "Select at least two runs to compare (the checkboxes of the runs table).");
    if (ids.length > 6) throw new UiError(400, "COMPARE_TOO_MANY", "Compare at most six runs at a time.");
    const runs = await Promise.all(ids.map(findRun));
    return sendPage(reply, "Compare runs", "runs", comparePage(runs), { charts: true });
  });

  app.get("/models", hidden, async (_request, reply) => {
    const models = await Promise.all((await project.registry.listModels()).map(async (summary) => ({ summary, versions: await project.registry.listVersions(summary.name) })));
    return sendPage(reply, "Models", "models", modelsPage({ models, promotionEnabled: checkToken !== undefined, served: label(served()) }));
  });

  app.get("/pipeline", hidden, async (request, reply) => {
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
    return sendPage(reply, title, "pipeline", pipelinePage({ names, pipeline, catalog, parameters, error }), { status });
  });

  app.get("/try", hidden, async (_request, reply) => {
    const version = served();
    const datasets = project.csvDatasets();
    const sample = version === undefined ? undefined : defaultSampleRecord(datasets, version.inputSchema);
    return sendPage(reply, "Try it", "try", tryPage({ version, sample, labels: version === undefined ? [] : sampleLabels(datasets) }));
  });

  app.get("/api/runs", hidden, async (request) => {
    const { runs, total, error } = await listRuns(queryText((request.query as Record<string, unknown>)["filter"]));
    if (error !== undefined) throw new UiError(400, "RUN_FILTER", error);
    return { total, runs };
  });

  app.get<{ Params: { id: string } }>("/api/runs/:id", hidden, async (request) => findRun(request.params.id));

  app.get("/api/samples", hidden, async (request) => {
    const version = served();
    if (version === undefined) throw new UiError(404, "NO_MODEL", "This server serves no model, so it has no request schema to shape a sample with.");
    const name = queryText((request.query as Record<string, unknown>)["name"]);
    const sample = sampleRecord(project.csvDatasets(), version.inputSchema, name === "" ? undefined : name);
    if (sample === undefined) throw new UiError(404, "NO_SAMPLE", `No row named ${name} in the catalog's CSV datasets makes a valid request record.`);
    return sample;
  });

  app.post<{ Params: { name: string; alias: string }; Body: { version: number; force?: boolean } }>(
    "/api/models/:name/aliases/:alias",
    {
      schema: {
        hide: true,
        params: { type: "object", properties: { name: { type: "string", pattern: "^[\\w.-]+$" }, alias: { type: "string", pattern: "^[A-Za-z][\\w.-]*$" } }, required: ["name", "alias"] },
        body: { type: "object", properties: { version: { type: "integer", minimum: 1 }, force: { type: "boolean" } }, required: ["version"], additionalProperties: false },
      },
      onRequest: async (request) => {
        if (checkToken === undefined) throw new UiError(403, "PROMOTION_DISABLED", "Promotion is disabled: start the server with CELLFORGE_ADMIN_TOKEN set, and send that token.");
        const verdict = checkToken(request.headers.authorization);
        if (verdict === "missing") throw new UiError(401, "UNAUTHORIZED", "Promotion needs `Authorization: Bearer <CELLFORGE_ADMIN_TOKEN>`.");
        if (verdict === "wrong") throw new UiError(403, "FORBIDDEN", "The admin token is wrong.");
      },
    },
    async (request) => {
      const { name, alias } = request.params;
      try {
        const outcome = await project.registry.promote(name, request.body.version, alias, { force: request.body.force === true });
        const moved = outcome.previous === undefined ? `@${alias} now points at ${name}:${request.body.version}.` : `@${alias} moved from ${name}:${outcome.previous} to ${name}:${request.body.version}.`;
        let reload: string | undefined;
        try {
          reload = await options.onPromote?.(name, alias);
        } catch (error) {
          reload = `The server could not reload: ${error instanceof Error ? error.message : String(error)}`;
        }
        return { name, alias, version: request.body.version, previous: outcome.previous ?? null, message: reload === undefined ? moved : `${moved} ${reload}` };
      } catch (error) {
        if (error instanceof ModelNotFoundError) throw new UiError(404, error.code, error.message);
        if (error instanceof BreakingSchemaError) throw new UiError(409, error.code, error.message);
        if (error instanceof RegistryError) throw new UiError(400, error.code, error.message);
        throw error;
      }
    },
  );

  app.get<{ Params: { file: string } }>("/assets/:file", hidden, async (request, reply) => {
    const asset = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file] : undefined;
    if (asset === undefined) throw new UiError(404, "NOT_FOUND", `No asset ${request.params.file}.`);
    const body = await readFile(asset.path());
    return reply.type(asset.type).header("cache-control", "no-cache").header("x-content-type-options", "nosniff").send(body);
  });
};
