/**
 * Whether a registered model of a pipeline is what training the project now would give. For each
 * recent version, the reference is the newest finished whole run that produced its artifacts (the
 * run that registered it, or a later one whose training gave the same files): the same datasets
 * read (its recorded digests against the catalog's now), the same parameters (against the resolved
 * ones) and the same node code (the code hashes it recorded in a tag against the pipeline's), with
 * a predict cell that still takes its artifacts and types. `cellforge start` reuses such a version,
 * so a second start serves at once, and going back to earlier settings finds the model trained then.
 */
import { projectCredentials } from "../config/project-credentials.ts";
import { Catalog } from "../catalog/catalog.ts";
import { loadProjectSetup } from "../project/project-setup.ts";
import { DEFAULT_ENV } from "../config/config-loader.ts";
import { parameterOverrides } from "../config/pipeline-parameters.ts";
import { resolveParameters } from "../config/parameters.ts";
import type { Pipeline } from "../pipeline/definition.ts";
import { stableJson } from "@cellforge/contract";
import { openProjectStore } from "../stores/project-stores.ts";
import { predictMismatch } from "../registry/predict-fit.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { recordedCodeHashes } from "../tracking/code-hashes.ts";
import type { RunDetails, RunInfo, TrackingStore } from "../tracking/store.ts";

/** What the comparison found. */
export interface ModelFreshness {
  /** The version compared: one that matches the project now, else the latest; undefined when none is registered. */
  version: ModelVersion | undefined;
  /** The run compared with: the newest that produced the version's artifacts. */
  runId: string | undefined;
  /** What differs between that version's training and the project now, in words; empty when nothing does. */
  changes: string[];
  /** False when the version's run did not record its code hashes, so code changes could not be checked. */
  codeChecked: boolean;
}

function short(digest: string | undefined): string {
  return digest === undefined ? "none" : digest.slice(0, 12);
}

function show(value: unknown): string {
  return value === undefined ? "unset" : JSON.stringify(value);
}

/** How many recent runs to look through for one that produced the version. */
const RECENT_RUNS = 50;

/** Whether `run` wrote every file of `version`'s artifacts (same sha256). */
function produced(run: RunDetails, version: ModelVersion): boolean {
  const written = new Set(run.artifacts.map((a) => a.sha256));
  return version.artifacts.every((artifact) => artifact.files.every((file) => written.has(file.sha256)));
}

/** The pipeline's recent finished runs, listed once and each read in full at most once, however many versions are compared. */
class RunLookup {
  private recent: Promise<RunInfo[]> | undefined;
  private readonly details = new Map<string, Promise<RunDetails | undefined>>();

  constructor(
    private readonly store: TrackingStore,
    private readonly pipeline: string,
  ) {}

  private get(id: string): Promise<RunDetails | undefined> {
    let run = this.details.get(id);
    if (run === undefined) this.details.set(id, (run = this.store.getRun(id)));
    return run;
  }

  /** The newest finished whole run of the pipeline that produced `version`, else the run that registered it. */
  async referenceRun(version: ModelVersion): Promise<RunDetails | undefined> {
    this.recent ??= this.store.listRuns({ pipeline: this.pipeline, status: "FINISHED", limit: RECENT_RUNS });
    for (const info of await this.recent) {
      if (info.tags["cellforge.partial"] === "true") continue;
      const run = await this.get(info.id);
      if (run !== undefined && produced(run, version)) return run;
    }
    return version.runId === undefined ? undefined : this.get(version.runId);
  }
}

/** How many of the newest versions may be reused. */
const RECENT_VERSIONS = 10;

/** What `pipeline` and the catalog are now. */
interface ProjectNow {
  pipeline: Pipeline;
  params: Record<string, unknown>;
  digest(dataset: string): Promise<string | undefined>;
}

/** What differs between the training of `version` (by its reference run) and the project now. */
async function compare(runs: RunLookup, version: ModelVersion, now: ProjectNow): Promise<ModelFreshness> {
  const { pipeline } = now;
  const run = await runs.referenceRun(version);
  if (run === undefined)
    return {
      version,
      runId: undefined,
      changes: [`the run that trained ${pipeline.name}:${version.version} is not in the tracking store`],
      codeChecked: false,
    };
  const changes: string[] = [];
  for (const input of run.inputs) {
    const digest = await now.digest(input.name);
    if (digest !== input.digest)
      changes.push(`data: \`${input.name}\` changed (sha256 ${short(input.digest)} → ${short(digest)})`);
  }
  for (const name of [...new Set([...Object.keys(now.params), ...Object.keys(run.params)])].sort()) {
    if (stableJson(now.params[name]) !== stableJson(run.params[name]))
      changes.push(`parameter \`${name}\`: ${show(run.params[name])} → ${show(now.params[name])}`);
  }
  // The server loads the version with the current predict cell, which must take the same artifacts and schemas.
  const misfit = predictMismatch(version, pipeline.predict);
  if (misfit === "code") changes.push("code: the predict cell changed");
  else if (misfit !== undefined) changes.push("code: the predict cell's artifacts or request/response types changed");
  const before = recordedCodeHashes(run.tags);
  if (before === undefined) return { version, runId: run.id, changes, codeChecked: false };
  for (const node of pipeline.nodes) {
    if (before[node.name] === undefined) changes.push(`code: node \`${node.name}\` is new`);
    else if (before[node.name] !== node.codeHash) changes.push(`code: node \`${node.name}\` changed`);
  }
  for (const name of Object.keys(before))
    if (!pipeline.nodes.some((n) => n.name === name)) changes.push(`code: node \`${name}\` was removed`);
  return { version, runId: run.id, changes, codeChecked: true };
}

/**
 * Finds a registered model of `pipeline` that training the project at `root` now would give: the
 * newest of its recent versions with nothing changed, else the latest version with what changed.
 */
export async function checkModelFreshness(options: {
  root: string;
  pipeline: Pipeline;
  env?: string;
}): Promise<ModelFreshness> {
  const { root, pipeline } = options;
  const env = options.env ?? DEFAULT_ENV;
  const project = await openProjectStore(root, env);
  const { config, store, registry } = project;
  try {
    const versions = (await registry.listVersions(pipeline.name)).slice(-RECENT_VERSIONS).reverse();
    if (versions.length === 0)
      return {
        version: undefined,
        runId: undefined,
        changes: [`no model \`${pipeline.name}\` is registered yet`],
        codeChecked: false,
      };
    const catalog = new Catalog(config.catalog, {
      root,
      pipeline: pipeline.name,
      types: (await loadProjectSetup(root)).datasetTypes,
      credentials: projectCredentials(root, env),
    });
    const digests = new Map<string, Promise<string | undefined>>();
    const now: ProjectNow = {
      pipeline,
      params: resolveParameters(pipeline.parameters, await parameterOverrides(root, config, pipeline.name)).values,
      digest: (dataset) => digests.get(dataset) ?? digests.set(dataset, catalog.get(dataset).digest()).get(dataset)!,
    };
    const runs = new RunLookup(store, pipeline.name);
    let latest: ModelFreshness | undefined;
    for (const version of versions) {
      const found = await compare(runs, version, now);
      latest ??= found;
      if (found.changes.length === 0 && found.codeChecked) return found;
    }
    return latest!;
  } finally {
    await project.close();
  }
}
