/**
 * What the web UI reads from the project: runs from the tracking store, versions and aliases from
 * the registry, pipelines from pipelines/, the catalog from conf/, and the JSON artifacts a run
 * wrote (for its confusion matrix; the run's own copy when it kept one), each checked against the
 * sha256 the run recorded.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { pipelineEntries } from "../catalog/namespaces.ts";
import { sha256 } from "../catalog/digest.ts";
import { loadProjectConfig, DEFAULT_ENV } from "../config/config-loader.ts";
import type { Pipeline } from "../pipeline/definition.ts";
import { listPipelines, loadPipeline } from "../pipeline/load-pipeline.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { openProjectStore } from "../stores/project-stores.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import type { ArtifactRecord, RunDetails, TrackingStore } from "../tracking/store.ts";
import { asConfusionMatrix, type ConfusionMatrix } from "./confusion-matrix.ts";
import { withoutLocalPaths } from "./local-paths.ts";
import { csvDatasets } from "./sample-record.ts";

/** A confusion matrix a run saved, or why it cannot be shown. */
export interface RunMatrix {
  artifact: ArtifactRecord;
  /** The matrix when the file still has the content the run recorded. */
  matrix: ConfusionMatrix | undefined;
  /** The file was rewritten by a later run (its sha256 differs from this run's record). */
  changed: boolean;
}

/** JSON artifacts larger than this are not read for matrices. */
const MAX_JSON_BYTES = 2 * 1024 * 1024;

/** What a pipeline's name may look like (a notebook's file name): no separators, no dots, so never a path. */
const PIPELINE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]{0,99}$/;

/** A pipeline name that is not one of the project's pipelines. */
export class UnknownPipelineError extends Error {
  readonly code = "PIPELINE_NOT_FOUND";
  constructor(message: string) {
    super(message);
    this.name = "UnknownPipelineError";
  }
}

/** A project pipeline whose module could not be imported; the message has no absolute path. */
export class PipelineUnavailableError extends Error {
  readonly code = "PIPELINE_LOAD_FAILED";
  constructor(message: string) {
    super(message);
    this.name = "PipelineUnavailableError";
  }
}

/** The project's stores and files, opened once for the server's life. */
export class UiProject {
  /** Pipelines imported so far, by name: each is imported once, on first view. */
  private readonly loaded = new Map<string, Promise<Pipeline>>();

  private constructor(
    readonly root: string,
    readonly env: string,
    readonly store: TrackingStore,
    readonly registry: ModelRegistry,
    /** The project's pipelines when the UI started: the only names a request can ask for. */
    private readonly pipelines: readonly string[],
  ) {}

  /** Opens the tracking store and registry of the project at `root`, and lists its pipelines. */
  static async open(root: string, env: string = DEFAULT_ENV): Promise<UiProject> {
    const { store, registry } = await openProjectStore(root, env);
    return new UiProject(
      root,
      env,
      store,
      registry,
      listPipelines(root).filter((name) => PIPELINE_NAME.test(name)),
    );
  }

  /** The catalog as configured now (conf/base over conf/<env>); as `pipeline` names its datasets when given. */
  catalog(pipeline?: string): Record<string, unknown> {
    const entries = loadProjectConfig(this.root, this.env).catalog;
    return pipeline === undefined ? entries : pipelineEntries(entries, pipeline);
  }

  /** The catalog's CSV datasets (name → absolute path), where sample records come from. */
  csvDatasets(): Record<string, string> {
    return csvDatasets(this.root, this.catalog());
  }

  /** Names of the project's pipelines (folders of pipelines/ with a pipeline.ts, as the UI started). */
  pipelineNames(): string[] {
    return [...this.pipelines];
  }

  /**
   * The project pipeline called `wanted`: a name is looked up among the pipelines listed when the UI
   * started, and only the listed name, never the request's text, makes the path imported.
   */
  pipeline(wanted: string): Promise<Pipeline> {
    const name = this.pipelines.find((known) => known === wanted);
    if (name === undefined) {
      const known =
        this.pipelines.length === 0
          ? "This project has no pipelines yet"
          : `Pipelines of this project: ${this.pipelines.join(", ")}`;
      return Promise.reject(
        new UnknownPipelineError(
          `No pipeline \`${wanted.slice(0, 100)}\`. ${known} (one extracted after the server started shows after a restart).`,
        ),
      );
    }
    let pipeline = this.loaded.get(name);
    if (pipeline === undefined) {
      pipeline = loadPipeline(this.root, name).catch((error: unknown) => {
        this.loaded.delete(name); // a fixed module loads on the next view (Node caches only successful imports)
        throw new PipelineUnavailableError(
          withoutLocalPaths(error instanceof Error ? error.message : String(error), this.root),
        );
      });
      this.loaded.set(name, pipeline);
    }
    return pipeline;
  }

  /** Every version of every model, by the run that registered it. */
  async versionsByRun(): Promise<Map<string, ModelVersion[]>> {
    const byRun = new Map<string, ModelVersion[]>();
    for (const model of await this.registry.listModels()) {
      for (const version of await this.registry.listVersions(model.name)) {
        if (version.runId === undefined) continue;
        (byRun.get(version.runId) ?? byRun.set(version.runId, []).get(version.runId)!).push(version);
      }
    }
    return byRun;
  }

  /** The confusion matrices among `run`'s JSON artifacts. */
  async matrices(run: RunDetails): Promise<RunMatrix[]> {
    const found: RunMatrix[] = [];
    for (const artifact of run.artifacts) {
      if (!artifact.path.endsWith(".json") || artifact.size > MAX_JSON_BYTES) continue;
      // The run's own copy when it kept one: the file in data/ may since have been rewritten by a later run.
      const path = join(this.root, artifact.copy ?? artifact.path);
      let bytes: Buffer;
      try {
        if ((await stat(path)).size > MAX_JSON_BYTES) continue;
        bytes = await readFile(path);
      } catch {
        continue;
      }
      let matrix: ConfusionMatrix | undefined;
      try {
        matrix = asConfusionMatrix(JSON.parse(bytes.toString("utf8")));
      } catch {
        continue;
      }
      if (matrix === undefined) continue;
      const changed = sha256(bytes) !== artifact.sha256;
      found.push({ artifact, matrix: changed ? undefined : matrix, changed });
    }
    return found;
  }

  /** Releases the database. */
  close(): Promise<void> {
    return this.store.close();
  }
}
