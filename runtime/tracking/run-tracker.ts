/**
 * Records a pipeline run in the tracking store, from its run events (hooks.ts `onRunEvent`, so
 * nodes may run in this process or in a worker): the datasets it reads from outside (digest,
 * rows), the files it writes (sha256, size, and the run's own copy of them), node metrics, epoch
 * metrics and logs.
 *
 * Saving a file dataset and copying it into the run's artifacts happen under a lock on its path
 * shared by every cellforge process, so that two runs saving the same catalog path at once each
 * keep what they saved, never the other's.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import type { Dataset } from "../catalog/dataset.ts";
import type { MetricValue, RunEvent } from "../events/run-event.ts";
import { FileDataset } from "../catalog/file-dataset.ts";
import { projectRelative } from "../catalog/project-path.ts";
import type { PipelineNode } from "../pipeline/definition.ts";
import type { PipelineGraph } from "../pipeline/graph.ts";
import { isParameterInput } from "../pipeline/graph.ts";
import type { Hooks } from "../pipeline/hooks.ts";
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
    for (const record of await keepRunCopy({
      root: this.root,
      artifactsPath: this.copies.path,
      runId: this.runId,
      dataset: name,
      source,
    })) {
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
      await this.store.logArtifact(this.runId, {
        path: projectRelative(this.root, file.path),
        sha256: file.sha256,
        size: file.size,
        dataset: name,
      });
    }
  }

  private logMetrics(metrics: readonly MetricValue[]): void {
    for (const { name, value, step } of metrics) this.track(this.store.logMetric(this.runId, name, value, step));
  }

  beforePipelineRun(event: { nodes: readonly PipelineNode[] }): void {
    for (const node of event.nodes) this.inRun.add(node.name);
  }

  async onPipelineError(): Promise<void> {
    await this.releaseAll();
  }

  /** Records what a run event says happened; a node may have run in this process or in another one. */
  async onRunEvent(event: RunEvent): Promise<void> {
    switch (event.type) {
      case "dataset-loaded":
        return this.recordLoad(event.dataset, event.rows);
      case "dataset-saving":
        return this.lockForSave(event.dataset);
      case "dataset-saved":
        return this.keepSaved(event.dataset);
      case "node-failed":
        return this.releaseAll();
      case "node-finished":
        this.logMetrics(event.metrics);
        // A replayed node did not save its persisted outputs again: the run's record takes them as they are on disk.
        return event.replay ? this.keepOutputsOnDisk(event.node) : undefined;
      case "node-skipped":
        return this.recordSkipped(event.node, event.metrics);
      case "metric":
        return this.track(this.store.logMetric(this.runId, event.name, event.value, event.step));
      case "log":
        return this.track(
          this.store.logMessage(this.runId, {
            node: event.node,
            level: event.level,
            message: event.message,
            timestamp: Date.now(),
          }),
        );
      default:
        return undefined;
    }
  }

  /** A dataset a node read: recorded as an input of the run when it comes from outside the run. */
  private recordLoad(name: string, rows: number | undefined): void {
    const dataset = this.catalog.get(name);
    if (dataset.persisted && this.isSource(name)) this.track(this.recordInput(name, dataset, rows));
  }

  /** Takes the save lock of a dataset a node is about to save, until its copy is kept. */
  private async lockForSave(name: string): Promise<void> {
    const dataset = this.catalog.get(name);
    if (this.copies !== undefined && dataset instanceof FileDataset)
      this.saving.set(name, await this.lockPath(dataset.savePath()));
  }

  /** Records a dataset a node saved, keeping the run's copy and releasing its save lock. */
  private async keepSaved(name: string): Promise<void> {
    const dataset = this.catalog.get(name);
    if (!dataset.persisted) return;
    const lock = this.saving.get(name);
    if (lock === undefined) {
      this.track(this.recordArtifacts(name, dataset));
      return;
    }
    try {
      await this.keep(name, dataset);
    } finally {
      this.saving.delete(name);
      await lock.release();
    }
  }

  /** Records a skipped node's last metrics, its inputs from outside the run and its outputs as they are on disk. */
  private async recordSkipped(name: string, metrics: readonly MetricValue[]): Promise<void> {
    const node = this.graph.node(name);
    if (node === undefined) return;
    // The run's record stays complete: metrics as last computed, outputs as they are on disk.
    this.logMetrics(metrics);
    for (const input of node.inputs) {
      if (isParameterInput(input)) continue;
      const dataset = this.catalog.get(input);
      if (dataset.persisted && this.isSource(input)) this.track(this.recordInput(input, dataset, undefined));
    }
    await this.keepOutputsOnDisk(name);
  }

  /** Records a node's persisted outputs as they are on disk (a node skipped or replayed, which did not save them). */
  private async keepOutputsOnDisk(name: string): Promise<void> {
    const node = this.graph.node(name);
    if (node === undefined) return;
    for (const output of node.outputs) {
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
}
