/**
 * The Runner (pipeline/runner.ts) of `cellforge run --on workers` node by node: the command records
 * and schedules the run as `cellforge run` does, and each node the scheduler starts is queued as
 * one job, executed by whichever worker takes it; its run events come back through the job's
 * progress. Independent nodes are queued together, so they run on several workers at once.
 * Not a BullMQ flow: flows are trees (a job has one parent), and a pipeline's node often feeds
 * several others (taskforcesh/bullmq#1021, #2453).
 */
import type { RunEvent, RunEventSink } from "../events/run-event.ts";
import type { NodeExecution, NodeTask, Runner } from "../pipeline/runner.ts";
import type { NodeJob, RunJobProgress } from "./run-job.ts";
import type { RunQueue } from "./run-queue.ts";

/** A node that failed on a worker (or was refused, or cancelled). */
export class RemoteNodeError extends Error {
  readonly code = "REMOTE_NODE_FAILED";
  constructor(message: string) {
    super(message);
    this.name = "RemoteNodeError";
  }
}

/** Executes nodes on workers. */
export class WorkersRunner implements Runner {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly queue: RunQueue,
    private readonly job: Omit<NodeJob, "task">,
    /** Told which worker took which node. */
    private readonly onTaken: (node: string, worker: string) => void,
  ) {}

  async runNode(task: NodeTask, events: RunEventSink): Promise<NodeExecution> {
    // Events are passed on in the order the worker sent them, each awaited before the next.
    let delivered = Promise.resolve();
    let taken = false;
    const queued = await this.queue.submit({ ...this.job, task }, (progress: RunJobProgress) => {
      if (!taken) {
        taken = true;
        this.onTaken(task.node, progress.worker);
      }
      const event: RunEvent | undefined = progress.event;
      if (event !== undefined) delivered = delivered.then(() => events(event)).catch(() => undefined);
    });
    this.inFlight.add(queued.jobId);
    try {
      const result = await queued.result;
      await delivered;
      if (result.status === "FINISHED" && result.execution !== undefined) return result.execution;
      throw new RemoteNodeError(
        `Node \`${task.node}\` ${result.status === "KILLED" ? "was cancelled" : "failed on a worker"}: ${result.error ?? "no cause given"}`,
      );
    } finally {
      this.inFlight.delete(queued.jobId);
    }
  }

  /** Cancels the nodes queued or running now. */
  async cancel(): Promise<void> {
    await Promise.all([...this.inFlight].map((jobId) => this.queue.cancel(jobId)));
  }
}
