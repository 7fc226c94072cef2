/**
 * The runner seam: executing one node (load its inputs, call it under its seed and run scope, save
 * its outputs) apart from scheduling which nodes run when (scheduler.ts). A task and its result are
 * plain JSON and the node reports through serialisable events, so a runner may execute the node in
 * another process or on another machine (a worker), as long as the datasets between nodes are
 * persisted through the catalog. InProcessRunner (in-process-runner.ts) is the implementation
 * `cellforge run` uses.
 */
import type { RunEventSink } from "../events/run-event.ts";
import type { LoggedMetric } from "./node-state.ts";

/** One node to execute, as plain JSON. */
export interface NodeTask {
  /** The pipeline's name (a worker imports pipelines/<name>/pipeline.ts). */
  pipeline: string;
  /** The node's name within the pipeline. */
  node: string;
  /** Replayed for its in-memory outputs: its persisted outputs are left as they are. */
  replay: boolean;
  /** Whether to return the digests of the outputs it saves (its node state is recorded). */
  digests: boolean;
  /** The run's resolved parameter values. */
  params: Record<string, unknown>;
  /** Seeds the node's own Math.random stream (with its name). */
  seed?: number | string;
  /** The tracked run, as the node's run scope tells its code. */
  runId?: string;
  /** What to tell the user when an input is not there, by dataset name (e.g. which node to run first). */
  hints: Record<string, string>;
}

/** What executing a node produced, as plain JSON. */
export interface NodeExecution {
  status: "ran" | "replayed";
  durationMs: number;
  /** Digests of the persisted outputs it saved, by dataset name (when the task asked for them). */
  saved: Record<string, string>;
  /** Its metric outputs, flattened. */
  metrics: LoggedMetric[];
  /** The metrics its code logged (logMetric, TF.js epochs). */
  logged: LoggedMetric[];
}

/** Executes nodes; a scheduler decides which and when. */
export interface Runner {
  /**
   * Loads `task.node`'s inputs from the catalog and parameters, calls it under its seed and run
   * scope, saves its outputs, and reports through `events` (awaited, so a receiver can lock a path
   * around a save). Rejects with a NodeFailedError naming the node and the cause.
   */
  runNode(task: NodeTask, events: RunEventSink): Promise<NodeExecution>;
}
