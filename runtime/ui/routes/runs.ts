/**
 * The runs: GET /ui (and /ui/runs) the table, sortable, filterable and by pipeline; GET /ui/runs/:id one run;
 * GET /ui/sweeps the parameter sweeps and /ui/sweeps/:id one; GET /ui/compare runs side by side; GET /ui/api/runs and /ui/api/runs/:id the same as JSON.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { ModelVersion } from "../../registry/registry-store.ts";
import { readRunFilter, RunFilterError } from "../../tracking/run-filter.ts";
import { withoutRepeatedMetrics } from "../../tracking/repeated-metrics.ts";
import { AmbiguousRunIdError, type RunDetails } from "../../tracking/store.ts";
import { UiError } from "../errors.ts";
import type { SendPage } from "../page-reply.ts";
import { comparePage } from "../pages/compare.ts";
import { runPage } from "../pages/run.ts";
import { runsPage, sortRuns, type RunSort } from "../pages/runs.ts";
import { sweepPage } from "../pages/sweep.ts";
import { summariseSweeps, sweepsPage } from "../pages/sweeps.ts";
import { defaultSweepMetric, higherIsBetter, SWEEP_PARAMS_TAG, SWEEP_TAG } from "../../workers/sweep-plan.ts";
import type { UiProject } from "../project.ts";
import { queryList, queryText } from "../query.ts";
import { chosenPipeline, pipelinesOf } from "../runs-view.ts";
import { declaredMetrics, metricColumns } from "../../pipeline/metrics.ts";

/** What the routes need. */
export interface RunsRoutesOptions {
  project: UiProject;
  /** The version served now, if any: its pipeline's runs are shown first. */
  served: () => ModelVersion | undefined;
  sendPage: SendPage;
}

/** Registers the runs pages and their JSON. */
export const runsRoutes: FastifyPluginAsync<RunsRoutesOptions> = async (app, { project, served, sendPage }) => {
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

  const listRuns = async (
    filterText: string,
  ): Promise<{
    runs: Awaited<ReturnType<typeof project.store.listRuns>>;
    total: number;
    error: string | undefined;
  }> => {
    const all = await project.store.listRuns();
    if (filterText.trim() === "") return { runs: all, total: all.length, error: undefined };
    try {
      return {
        runs: await project.store.searchRuns({ filter: readRunFilter(filterText) }),
        total: all.length,
        error: undefined,
      };
    } catch (error) {
      if (error instanceof RunFilterError) return { runs: [], total: all.length, error: error.message };
      throw error;
    }
  };

  const runsRoute = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const query = request.query as Record<string, unknown>;
    const filter = queryText(query["filter"]);
    const sort: RunSort = {
      key: queryText(query["sort"]) || "started",
      order: queryText(query["order"]) === "asc" ? "asc" : "desc",
    };
    const { runs, total, error } = await listRuns(filter);
    const all = filter.trim() === "" ? runs : await project.store.listRuns();
    const pipeline = chosenPipeline(
      query["pipeline"] === undefined ? undefined : queryText(query["pipeline"]),
      all,
      served(),
    );
    const metricOrder = pipeline === undefined ? [] : await project.pipeline(pipeline).then(declaredMetrics, () => []);
    const view = { pipeline, pipelines: pipelinesOf(all), metricOrder };
    const body = runsPage({
      runs: sortRuns(runs, sort),
      total,
      filter,
      filterError: error,
      sort,
      versionsByRun: await project.versionsByRun(),
      ...view,
    });
    return sendPage(reply, "Runs", "runs", body, { wide: true, ...(error === undefined ? {} : { status: 400 }) });
  };
  app.get("/", { schema: { hide: true } }, runsRoute);
  app.get("/runs", { schema: { hide: true } }, runsRoute);

  app.get<{ Params: { id: string } }>("/runs/:id", { schema: { hide: true } }, async (request, reply) => {
    const run = await findRun(request.params.id);
    const others = (await project.store.listRuns({ pipeline: run.pipeline, limit: 50 }))
      .filter((r) => r.id !== run.id)
      .map((r) => ({ id: r.id, startTime: r.startTime }));
    const body = runPage({
      run: withoutRepeatedMetrics(run),
      matrices: await project.matrices(run),
      versions: (await project.versionsByRun()).get(run.id),
      others,
    });
    return sendPage(reply, `Run ${run.id.slice(0, 8)}`, "runs", body, { charts: true });
  });

  app.get("/sweeps", { schema: { hide: true } }, async (_request, reply) => {
    const runs = await project.store.searchRuns({ filter: readRunFilter(`tags.${SWEEP_TAG} != ""`) });
    return sendPage(reply, "Sweeps", "sweeps", sweepsPage(summariseSweeps(runs)));
  });

  app.get<{ Params: { id: string } }>("/sweeps/:id", { schema: { hide: true } }, async (request, reply) => {
    const { id } = request.params;
    if (!/^[\w.:-]+$/.test(id))
      throw new UiError(400, "SWEEP_ID", "A sweep id is letters, digits, '-', '_', '.' or ':'.");
    const runs = await project.store.searchRuns({ filter: readRunFilter(`tags.${SWEEP_TAG} = "${id}"`) });
    if (runs.length === 0) throw new UiError(404, "SWEEP_NOT_FOUND", `No run is tagged with sweep ${id}.`);
    let params: string[] = [];
    try {
      const listed = JSON.parse(runs[0]!.tags[SWEEP_PARAMS_TAG] ?? "[]") as unknown;
      if (Array.isArray(listed)) params = listed.filter((p): p is string => typeof p === "string");
    } catch {
      params = [];
    }
    const query = request.query as Record<string, unknown>;
    const declared = await project.pipeline(runs[0]!.pipeline).then(declaredMetrics, () => []);
    const metrics = metricColumns(
      runs.flatMap((r) => Object.keys(r.metrics)),
      declared,
    );
    const chosen = queryText(query["metric"]);
    const metric = metrics.includes(chosen) ? chosen : defaultSweepMetric(declared, metrics);
    const order = queryText(query["order"]);
    const maximize = order === "max" || (order !== "min" && metric !== undefined && higherIsBetter(metric));
    const body = sweepPage({ id, runs, params, metric, maximize, metrics });
    return sendPage(reply, `Sweep ${id}`, "sweeps", body, { wide: true });
  });

  app.get("/compare", { schema: { hide: true } }, async (request, reply) => {
    const ids = [...new Set(queryList((request.query as Record<string, unknown>)["run"]))];
    if (ids.length < 2)
      throw new UiError(
        400,
        "COMPARE_NEEDS_RUNS",
        "Select at least two runs to compare (the checkboxes of the runs table).",
      );
    if (ids.length > 6) throw new UiError(400, "COMPARE_TOO_MANY", "Compare at most six runs at a time.");
    const runs = await Promise.all(ids.map(findRun));
    return sendPage(reply, "Compare runs", "runs", comparePage(runs.map(withoutRepeatedMetrics)), { charts: true });
  });

  app.get("/api/runs", { schema: { hide: true } }, async (request) => {
    const { runs, total, error } = await listRuns(queryText((request.query as Record<string, unknown>)["filter"]));
    if (error !== undefined) throw new UiError(400, "RUN_FILTER", error);
    return { total, runs };
  });

  app.get<{ Params: { id: string } }>("/api/runs/:id", { schema: { hide: true } }, async (request) =>
    findRun(request.params.id),
  );
};
