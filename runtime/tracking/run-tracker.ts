/**
 * Records a pipeline run in the tracking store, as runner hooks: the datasets it reads from
 * outside (digest, rows), the files it writes (sha256, size), node metrics, epoch metrics and logs.
 */
import type { Catalog } from "../catalog/catalog.ts";
import type { Dataset } from "../catalog/dataset.ts";
import { projectRelative } from "../catalog/project-path.ts";
import type { PipelineNode } from "../pipeline/definition.ts";
import type { PipelineGraph } from "../pipeline/graph.ts";
import { isParameterInput } from "../pipeline/graph.ts";
import type { Hooks } from "../pipeline/hooks.ts";
import { metricsOf } from "../pipeline/metrics.ts";
import type { LoggedMetric, NodeState } from "../pipeline/node-state.ts";
import type { TrackingStore } from "./store.ts";

/** Hooks that write one run's records to a store; `flush()` before ending the run. */
export class RunTracker implements Hooks {
  private readonly pending = new Set<Promise<void>>();
  private failure: Error | undefined;
  private readonly inRun = new Set<string>();

  constructor(
    private readonly store: TrackingStore,
    readonly runId: string,
    private readonly graph: PipelineGraph,
    private readonly catalog: Catalog,
    private readonly root: string,
  ) {}

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

  afterDatasetSave(event: { name: string; dataset: Dataset }): void {
    if (event.dataset.persisted) this.track(this.recordArtifacts(event.name, event.dataset));
  }

  afterNodeRun(event: { node: PipelineNode; outputs: Readonly<Record<string, unknown>> }): void {
    this.logMetrics(metricsOf(event.node, event.outputs));
  }

  onNodeSkipped(event: { node: PipelineNode; state: NodeState }): void {
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
      if (dataset.persisted) this.track(this.recordArtifacts(output, dataset));
    }
  }

  onNodeMetric(event: { name: string; value: number; step: number | undefined }): void {
    this.track(this.store.logMetric(this.runId, event.name, event.value, event.step));
  }

  onNodeLog(event: { node: PipelineNode; level: "info" | "warn"; message: string }): void {
    this.track(this.store.logMessage(this.runId, { node: event.node.name, level: event.level, message: event.message, timestamp: Date.now() }));
  }
}
