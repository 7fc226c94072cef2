/**
 * A test-only Runner that executes each node in a child process (node + tsx), as a worker on
 * another machine would: the datasets between nodes go through the catalog's files, the node's
 * events come back over IPC and are handed to the run's own hooks (progress, tracking).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { RunEventSink } from "../../../../runtime/events/run-event.ts";
import type { NodeExecution, NodeTask, Runner } from "../../../../runtime/pipeline/runner.ts";
import type { FromWorker, ToWorker } from "./messages.ts";

const worker = fileURLToPath(new URL("node-worker.ts", import.meta.url));

/** A node that failed in its worker process; the message is the worker's NodeFailedError's. */
export class WorkerNodeError extends Error {
  readonly code = "WORKER_NODE_FAILED";
  constructor(message: string) {
    super(message);
    this.name = "WorkerNodeError";
  }
}

/** Runs every node in a fresh child process of the project at `root`. */
export class ChildProcessRunner implements Runner {
  /** How many nodes ran in a child process. */
  processes = 0;

  constructor(private readonly project: { root: string; env: string }) {}

  /** Forks a worker for `task`, forwards its events to `events`, resolves with what it executed. */
  runNode(task: NodeTask, events: RunEventSink): Promise<NodeExecution> {
    this.processes++;
    const child = fork(worker, [], {
      cwd: this.project.root,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const tell = (message: ToWorker): void => void child.send(message);
    return new Promise<NodeExecution>((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        finish();
      };
      child.on("message", (message: FromWorker) => {
        if (message.kind === "event") {
          events(message.event).then(
            () => tell({ kind: "ack", id: message.id }),
            (error: unknown) => {
              // The worker waits for this ack: end it, the run is failing.
              child.kill();
              settle(() => reject(error instanceof Error ? error : new Error(String(error))));
            },
          );
        } else if (message.kind === "done") settle(() => resolve(message.execution));
        else settle(() => reject(new WorkerNodeError(message.message)));
      });
      child.on("error", (error) => settle(() => reject(error)));
      child.on("exit", (code, signal) =>
        settle(() =>
          reject(
            new WorkerNodeError(`The worker of node \`${task.node}\` exited (${signal ?? code}) without a result.`),
          ),
        ),
      );
      tell({ kind: "task", root: this.project.root, env: this.project.env, task });
    });
  }
}
