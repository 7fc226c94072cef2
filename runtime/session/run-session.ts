/**
 * One `cellforge run`, end to end (Kedro's session): project config, pipeline, parameters,
 * catalog, a tracked run in the store, the runner with progress and tracking hooks, and the
 * model registration when the pipeline has a predict cell.
 */
import { projectCredentials } from "../config/project-credentials.ts";
import { Catalog } from "../catalog/catalog.ts";
import { removeStaleTemporaryFiles } from "../catalog/atomic-write.ts";
import { loadProjectConfig, DEFAULT_ENV } from "../config/config-loader.ts";
import { parameterOverrides } from "../config/pipeline-parameters.ts";
import { resolveParameters, type ParameterAssignment } from "../config/parameters.ts";
import { findProjectRoot } from "../config/project-root.ts";
import type { Pipeline } from "../pipeline/definition.ts";
import { filterNodes, type PipelineFilter } from "../pipeline/filter.ts";
import { PipelineGraph } from "../pipeline/graph.ts";
import type { Hooks, PipelineRunResult } from "../pipeline/hooks.ts";
import { defaultPipelineName, loadPipeline } from "../pipeline/load-pipeline.ts";
import { ProgressReporter } from "../pipeline/progress.ts";
import { loadProjectSetup } from "../project/project-setup.ts";
import type { Runner } from "../pipeline/runner.ts";
import { PipelineScheduler } from "../pipeline/scheduler.ts";
import { RegistrationError } from "../registry/errors.ts";
import { openProjectStore } from "../stores/project-stores.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { CODE_HASHES_TAG, codeHashesTag } from "../tracking/code-hashes.ts";
import { gitInfo } from "../tracking/git-info.ts";
import { currentProcess } from "../tracking/process-identity.ts";
import { removeAbandonedCopies } from "../tracking/run-artifacts.ts";
import { RunTracker } from "../tracking/run-tracker.ts";
import type { RunDetails, RunStatus } from "../tracking/store.ts";
import { captureTrainingMetrics } from "../tracking/tfjs-epochs.ts";

/** What to run. */
export interface RunRequest {
  /** Where to look for the project (nearest package.json); defaults to the current folder. */
  cwd?: string;
  /** Pipeline name; defaults to the only one, else `train`. */
  pipeline?: string;
  env?: string;
  params?: readonly ParameterAssignment[];
  filter?: PipelineFilter;
  loadVersions?: Readonly<Record<string, string>>;
  /** Rerun every node even when nothing changed. */
  force?: boolean;
  /** false: leave the model unregistered (a sweep registers its best run afterwards). */
  register?: boolean;
  /** Extra run tags. */
  tags?: Readonly<Record<string, string>>;
  /** User hooks, called after cellforge's own and the project's (cellforge.hooks.ts). */
  hooks?: readonly Hooks[];
  /** Where progress lines go (console.log by default). */
  write?: (line: string) => void;
  /**
   * Called once the pipeline, parameters and catalog are checked, before the run is recorded
   * (e.g. to start TF.js); the tags it returns join the run's.
   */
  onReady?: (pipeline: Pipeline) => Promise<Record<string, string> | undefined>;
  /** Called once the run is recorded, e.g. to end it as KILLED on SIGINT. */
  onRunStarted?: (run: StartedRun) => void;
  /**
   * Executes the nodes instead of this process (e.g. a worker per node): it reports through run
   * events, which progress and tracking record as usual; the datasets between its nodes must be
   * persisted. The hooks of cellforge.hooks.ts and `hooks` then get `onRunEvent` and the pipeline
   * and skip calls, not the ones around a node's loads, call and saves (those carry live data).
   */
  runner?: Runner;
}

/** A run in progress, as handed to `onRunStarted`. */
export interface StartedRun {
  runId: string;
  pipeline: Pipeline;
  /** Ends the run with `status` now (for signal handlers). */
  end(status: Exclude<RunStatus, "RUNNING">, error?: string): Promise<void>;
}

/** What a finished run produced. */
export interface RunOutcome {
  run: RunDetails;
  result: PipelineRunResult;
  /** The registered model version, when the pipeline has a predict cell and the run was whole. */
  model?: { version: ModelVersion; created: boolean };
  /** Why no model was registered although the pipeline has a predict cell. */
  registrationSkipped?: string;
}

/** A run that failed after it was recorded: carries its id. */
export class RunFailedError extends Error {
  readonly code = "RUN_FAILED";
  constructor(
    readonly runId: string,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "RunFailedError";
  }
}

/** Outputs other than the model are kept per run up to this size (reports, metrics), larger ones (data) only hashed. */
const KEPT_OUTPUT_BYTES = 16 * 1024 * 1024;

function isFiltered(filter: PipelineFilter | undefined): boolean {
  return filter !== undefined && Object.values(filter).some((v) => Array.isArray(v) && v.length > 0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs a pipeline of the project as a tracked run; throws RunFailedError (with the run id) when a node fails. */
export async function runSession(request: RunRequest = {}): Promise<RunOutcome> {
  const write = request.write ?? ((line: string) => console.log(line));
  const root = findProjectRoot(request.cwd);
  const env = request.env ?? DEFAULT_ENV;
  const config = loadProjectConfig(root, env);
  const name = request.pipeline ?? defaultPipelineName(root);
  const pipeline = await loadPipeline(root, name);
  // Definition errors and unknown names in filters stop here, before a run is recorded.
  const graph = new PipelineGraph(pipeline);
  filterNodes(graph, request.filter);
  const { values: params } = resolveParameters(
    pipeline.parameters,
    await parameterOverrides(root, config, pipeline.name, request.params ?? []),
  );
  const project = await loadProjectSetup(root);
  // A run reads back what it saved, whatever another run saves at the same paths meanwhile.
  const catalog = new Catalog(config.catalog, {
    root,
    pipeline: pipeline.name,
    loadVersions: request.loadVersions ?? {},
    readOwnSaves: true,
    types: project.datasetTypes,
    credentials: projectCredentials(root, env),
  });
  const projectHooks = project.hooks;
  await removeStaleTemporaryFiles(root);
  const readyTags = await request.onReady?.(pipeline);
  captureTrainingMetrics();

  const { store, nodeStates, registry, settings } = await openProjectStore(root, env, config);
  let recordedId: string | undefined;
  try {
    const filtered = isFiltered(request.filter);
    // A version folder the store does not know would refuse the model after the training: refused now, before a run is recorded.
    if (pipeline.predict !== undefined && !filtered && request.register !== false)
      await registry.checkNextVersionFree(pipeline.name);
    const git = gitInfo(root);
    // The node code hashes let `cellforge start` tell whether a model registered by this run is still what training would give.
    const tags: Record<string, string> = {
      "cellforge.env": env,
      [CODE_HASHES_TAG]: codeHashesTag(pipeline),
      ...(filtered ? { "cellforge.partial": "true" } : {}),
      ...readyTags,
      ...request.tags,
    };
    const run = await store.createRun({
      experiment: settings.experiment ?? pipeline.name,
      pipeline: pipeline.name,
      params,
      tags,
      gitCommit: git?.commit,
      gitDirty: git?.dirty,
      process: currentProcess(),
    });
    recordedId = run.id;
    request.onRunStarted?.({ runId: run.id, pipeline, end: (status, error) => store.endRun(run.id, status, error) });

    await removeAbandonedCopies(settings.artifactsPath);
    // The run keeps its own copy of the model (whatever its size) and of small outputs such as reports.
    const tracker = new RunTracker(store, run.id, graph, catalog, root, {
      path: settings.artifactsPath,
      always: pipeline.predict?.artifacts ?? [],
      maxBytes: KEPT_OUTPUT_BYTES,
    });
    const seed = typeof params["seed"] === "number" || typeof params["seed"] === "string" ? params["seed"] : undefined;
    const scheduler = new PipelineScheduler({
      catalog,
      params,
      hooks: [new ProgressReporter(write), tracker, ...projectHooks, ...(request.hooks ?? [])],
      ...(request.filter === undefined ? {} : { filter: request.filter }),
      states: nodeStates,
      force: request.force ?? false,
      runId: run.id,
      ...(seed === undefined ? {} : { seed }),
      root,
      ...(request.runner === undefined ? {} : { runner: request.runner }),
    });

    let result: PipelineRunResult;
    try {
      result = await scheduler.run(pipeline);
      await tracker.flush();
    } catch (error) {
      await tracker.flush().catch(() => undefined);
      await store.endRun(run.id, "FAILED", errorText(error));
      throw new RunFailedError(run.id, error);
    }

    const outcome: Omit<RunOutcome, "run"> = { result };
    if (pipeline.predict !== undefined) {
      if (filtered) {
        outcome.registrationSkipped = "a partial run (--nodes, --tags, --from-nodes…) does not register a model";
      } else if (request.register === false) {
        outcome.registrationSkipped =
          "this run was asked not to register one (a sweep registers its best run with --register-best)";
      } else {
        try {
          const recorded = (await store.getRun(run.id))!;
          outcome.model = await registry.register({
            pipeline,
            catalog,
            runId: run.id,
            artifacts: recorded.artifacts,
            metrics: recorded.metrics,
            inputs: recorded.inputs,
            parameters: params,
          });
        } catch (error) {
          // A model the pipeline cannot register (an in-memory artifact) leaves a finished experiment; any other failure (a full disk, a tampered copy, a folder the store does not know) fails the run with its cause.
          if (error instanceof RegistrationError) outcome.registrationSkipped = error.message;
          else {
            await store.endRun(run.id, "FAILED", `Registering the model failed: ${errorText(error)}`);
            throw new RunFailedError(run.id, error);
          }
        }
      }
    }
    await store.endRun(run.id, "FINISHED");
    return { run: (await store.getRun(run.id))!, ...outcome };
  } catch (error) {
    if (recordedId === undefined) throw error;
    // Whatever fails once the run is recorded ends it FAILED with the cause, never leaves it RUNNING (endRun keeps a run already ended).
    await store.endRun(recordedId, "FAILED", errorText(error));
    throw error instanceof RunFailedError ? error : new RunFailedError(recordedId, error);
  } finally {
    await catalog.release();
    await store.close();
  }
}
