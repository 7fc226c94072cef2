/** The messages between the test-only child-process runner and its node worker, over the IPC channel (plain JSON). */
import type { RunEvent } from "../../../../runtime/events/run-event.ts";
import type { NodeExecution, NodeTask } from "../../../../runtime/pipeline/runner.ts";

/** Parent → worker: the node to execute, then one ack per event once the parent has handled it. */
export type ToWorker = { kind: "task"; root: string; env: string; task: NodeTask } | { kind: "ack"; id: number };

/** Worker → parent: events as they happen, then the node's result or failure. */
export type FromWorker =
  | { kind: "event"; id: number; event: RunEvent }
  | { kind: "done"; execution: NodeExecution }
  | { kind: "failed"; message: string };
