/** Typed lifecycle hooks a user (or cellforge itself: tracking, progress) registers with the runner. */
import type { Dataset } from "../catalog/dataset.ts";
import type { RunEvent } from "../events/run-event.ts";
import type { Pipeline, PipelineNode } from "./definition.ts";
import type { NodeState } from "./node-state.ts";

type Awaitable = void | Promise<void>;

/** How a node ended. */
export interface NodeOutcome {
  node: string;
  status: "ran" | "replayed" | "skipped" | "failed";
  durationMs: number;
}

/** What a pipeline run produced. */
export interface PipelineRunResult {
  nodes: NodeOutcome[];
  /** Values of in-memory outputs no node reads (Kedro's "free outputs"). */
  freeOutputs: Record<string, unknown>;
  durationMs: number;
}

/**
 * Hooks called by the runner; every method is optional and may be async (the runner awaits it).
 * A hook that throws fails the run. The node and dataset hooks carry the live data, so they are
 * called where the node runs; `onRunEvent` gets the same moments as plain JSON events, also from
 * a runner that executes nodes in another process (this is how progress and tracking listen).
 */
export interface Hooks {
  beforePipelineRun?(event: {
    pipeline: Pipeline;
    nodes: readonly PipelineNode[];
    params: Readonly<Record<string, unknown>>;
  }): Awaitable;
  afterPipelineRun?(event: { pipeline: Pipeline; result: PipelineRunResult }): Awaitable;
  onPipelineError?(event: { pipeline: Pipeline; error: unknown }): Awaitable;
  beforeNodeRun?(event: { node: PipelineNode; inputs: Readonly<Record<string, unknown>>; replay: boolean }): Awaitable;
  afterNodeRun?(event: {
    node: PipelineNode;
    inputs: Readonly<Record<string, unknown>>;
    outputs: Readonly<Record<string, unknown>>;
    durationMs: number;
    replay: boolean;
  }): Awaitable;
  onNodeError?(event: { node: PipelineNode; error: unknown; durationMs: number }): Awaitable;
  /** A node whose code, inputs and parameters did not change since `state` was recorded. */
  onNodeSkipped?(event: { node: PipelineNode; state: NodeState }): Awaitable;
  beforeDatasetLoad?(event: { name: string; node: PipelineNode; dataset: Dataset }): Awaitable;
  afterDatasetLoad?(event: { name: string; node: PipelineNode; dataset: Dataset; data: unknown }): Awaitable;
  beforeDatasetSave?(event: { name: string; node: PipelineNode; dataset: Dataset; data: unknown }): Awaitable;
  afterDatasetSave?(event: { name: string; node: PipelineNode; dataset: Dataset; data: unknown }): Awaitable;
  /** Logs and metrics of the running node (from `log`/`logMetric` and TF.js epochs). */
  onNodeLog?(event: { node: PipelineNode; level: "info" | "warn"; message: string }): Awaitable;
  onNodeMetric?(event: { node: PipelineNode; name: string; value: number; step: number | undefined }): Awaitable;
  /** Terminal-only progress of a running node (one line per training epoch). */
  onNodeProgress?(event: { node: PipelineNode; message: string }): Awaitable;
  /** Every node, dataset, metric, log and progress event of the run, as serialisable data. */
  onRunEvent?(event: RunEvent): Awaitable;
}

type EventOf<K extends keyof Hooks> = Parameters<NonNullable<Hooks[K]>>[0];

/** Calls hook `name` of every registered hooks object, in registration order. */
export async function callHooks<K extends keyof Hooks>(
  hooks: readonly Hooks[],
  name: K,
  event: EventOf<K>,
): Promise<void> {
  for (const h of hooks) {
    const method = h[name] as ((e: EventOf<K>) => Awaitable) | undefined;
    if (method !== undefined) await method.call(h, event);
  }
}
