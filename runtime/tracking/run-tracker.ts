/**
 * Records a pipeline run in the tracking store, as runner hooks: the datasets it reads from
 * outside (digest, rows), the files it writes (sha256, size, and the run's own copy of them),
 * node metrics, epoch metrics and logs.
 *
 * Saving a file dataset and copying it into the run's artifacts happen under a lock on its path
 * shared by every cellforge process, so that two runs saving the same catalog path at once each
 * keep what they saved, never the other's.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import type { Dataset } from "../catalog/dataset.ts";
import { FileDataset } from "../catalog/file-dataset.ts";
import { projectRelative } from "../catalog/project-path.ts";
import type { PipelineNode } from "../pipeline/definition.ts";
import type { PipelineGraph } from "../pipeline/graph.ts";
import { isParameterInput } from "../pipeline/graph.ts";
import type { Hooks } from "../pipeline/hooks.ts";
import { metricsOf } from "../pipeline/metrics.ts";
import type { LoggedMetric, NodeState } from "../pipeline/node-state.ts";
import { keepRunCopy } from "./run-artifacts.ts";
import type { HeldLock, TrackingStore } from "./store.ts";

/** Which saved files a run keeps its own copy of. */
export interface RunCopies {
  /** Absolute folder of the runs' artifact copies (tracking.yml `artifacts`). */
  path: string;
  /** Datasets always kept, whatever their size: the predict cell's artifacts. */
  always: readonly string[];
  /** Other outputs are kept up to this many bytes (reports, metrics); larger ones (data) are only hashed. */
  maxBytes: number;
}

/** The size of a file, or of every file under a folder. */
async function sizeOf(path: string): Promise<number> {
  const info = await stat(path);
  if (!info.isDirectory()) return info.size;
  let total = 0;
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Hooks that write one run's records to a store; `flush()` before ending the run. */
export class RunTracker implements Hooks {
  private readonly pending = new Set<Promise<void>>();
  private failure: Error | undefined;
  private readonly inRun = new Set<string>();
  /** Save locks held between a dataset's save and its copy, by dataset name. */
  private readonly saving = new Map<string, HeldLock>();

  /** @param copies where and what the run keeps of its saved files; without it, files are only hashed. */
  constructor(
    private readonly store: TrackingStore,
    readonly runId: string,
    private readonly graph: PipelineGraph,
    private readonly catalog: Catalog,
    private readonly root: string,
    private readonly copies?: RunCopies,
  ) {}

  /** The lock that serializes saving (and copying) the file at `path` across processes. */
  private lockPath(path: string): Promise<HeldLock> {
    return this.store.lock(`save:${path}`);
  }

  /** Releases every save lock still held (a failed save or node). */
  private async releaseAll(): Promise<void> {
    const held = [...this.saving.values()];
    this.saving.clear();
    for (const lock of held) await lock.release();
  }

  /** Records `dataset`'s stored files; with copies on, keeps the run's own copy of what was saved (the caller holds the path's save lock). */
  private async keep(name: string, dataset: Dataset): Promise<void> {
    if (this.copies === undefined || !(dataset instanceof FileDataset)) return this.recordArtifacts(name, dataset);
    const source = dataset.savePath();
    let size: number;
    try {
      size = await sizeOf(source);
    } catch {
      return this.recordArtifacts(name, dataset);
    }
    if (!this.copies.always.includes(name) && size > this.copies.maxBytes) return this.recordArtifacts(name, dataset);
    for (const record of await keepRunCopy({ root: this.root, artifactsPath: this.copies.path, runId: this.runId, dataset: name, source })) {
      await this.store.logArtifact(this.runId, record);
    }
  }

  private track(work: Promise<void>): void {
    const promise = work.catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
    });
    this.pending.add(promise);
    void promise.finally(() => this.pending.delete(promise));
  }

  /** Waits for every record to be written; throws the first write error. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.failure !== undefined) throw this.failure;
  }

  /** Whether `name` comes from outside this run (no node of the run produces it). */
  private isSource(name: string): boolean {
    const producer = this.graph.producerOf(name);
    return producer === undefined || !this.inRun.has(producer.name);
  }

  private async recordInput(name: string, dataset: Dataset, rows: number | undefined): Promise<void> {
    const digest = await dataset.digest();
    if (digest === undefined) return;
    const path = dataset.describe().path;
    await this.store.logInput(this.runId, { name, digest, rows, path });
  }

  private async recordArtifacts(name: string, dataset: Dataset): Promise<void> {
    for (const file of await dataset.files()) {
      await this.store.logArtifact(this.runId, { path: projectRelative(this.root, file.path), sha256: file.sha256, size: file.size, dataset: name });
    }
  }

  private logMetrics(metrics: readonly LoggedMetric[]): void {
    for (const { name, value, step } of metrics) this.track(this.store.logMetric(this.runId, name, value, step));
  }

  beforePipelineRun(event: { nodes: readonly PipelineNode[] }): void {
    for (const node of event.nodes) this.inRun.add(node.name);
  }

  afterDatasetLoad(event: { name: string; dataset: Dataset; data: unknown }): void {
    if (event.dataset.persisted && this.isSource(event.name)) this.track(this.recordInput(event.name, event.dataset, event.dataset.rows(event.data)));
  }

  async beforeDatasetSave(event: { name: string; dataset: Dataset }): Promise<void> {
    if (this.copies !== undefined && event.dataset instanceof FileDataset) this.saving.set(event.name, await this.lockPath(event.dataset.savePath()));
  }

  async afterDatasetSave(event: { name: string; dataset: Dataset }): Promise<void> {
    if (!event.dataset.persisted) return;
    const lock = this.saving.get(event.name);
    if (lock === undefined) {
      this.track(this.recordArtifacts(event.name, event.dataset));
      return;
    }
    try {
      await this.keep(event.name, event.dataset);
    } finally {
      this.saving.delete(event.name);
      await lock.release();
    }
  }

  async onNodeError(): Promise<void> {
    await this.releaseAll();
  }

  async onPipelineError(): Promise<void> {
    await this.releaseAll();
  }

  afterNodeRun(event: { node: PipelineNode; outputs: Readonly<Record<string, unknown>> }): void {
    this.logMetrics(metricsOf(event.node, event.outputs));
  }

  async onNodeSkipped(event: { node: PipelineNode; state: NodeState }): Promise<void> {
    // The run's record stays complete: metrics as last computed, outputs as they are on disk.
    this.logMetrics(event.state.logged);
    this.logMetrics(event.state.metrics);
    for (const input of event.node.inputs) {
      if (isParameterInput(input)) continue;
      const dataset = this.catalog.get(input);
      if (dataset.persisted && this.isSource(input)) this.track(this.recordInput(input, dataset, undefined));
    }
    for (const output of event.node.outputs) {
      const dataset = this.catalog.get(output);
      if (!dataset.persisted) continue;
      if (this.copies === undefined || !(dataset instanceof FileDataset)) {
        this.track(this.recordArtifacts(output, dataset));
        continue;
      }
      // The files on disk are what the run uses: keep a copy, under the save lock so no other run rewrites them meanwhile.
      const lock = await this.lockPath(dataset.savePath());
      try {
        await this.keep(output, dataset);
      } finally {
        await lock.release();
      }
    }
  }

  onNodeMetric(event: { name: string; value: number; step: number | undefined }): void {
    this.track(this.store.logMetric(this.runId, event.name, event.value, event.step));
  }

  onNodeLog(event: { node: PipelineNode; level: "info" | "warn"; message: string }): void {
    this.track(this.store.logMessage(this.runId, { node: event.node.name, level: event.level, message: event.message, timestamp: Date.now() }));
  }
}
