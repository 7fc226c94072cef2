/**
 * The queueing side of workers (`cellforge run --on workers`, `cellforge sweep --on workers`):
 * queues run jobs on Redis, follows their progress and outcome through BullMQ's queue events, and
 * cancels them (a waiting job is removed, a running one is asked to stop).
 */
import { randomUUID } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import type { Redis } from "ioredis";
import { requestCancel } from "./cancel-request.ts";
import { connectRedis } from "./redis-connection.ts";
import { isNodeJob, type QueueJob, type RunJobProgress, type RunJobResult } from "./run-job.ts";
import type { WorkersSettings } from "./workers-settings.ts";

/** A queued run being followed. */
export interface QueuedRun {
  jobId: string;
  result: Promise<RunJobResult>;
}

function asResult(value: unknown): RunJobResult {
  const parsed = typeof value === "string" ? (JSON.parse(value) as unknown) : value;
  return parsed as RunJobResult;
}

/** A connection to the run queue. */
export class RunQueue {
  private readonly waiting = new Map<
    string,
    { resolve: (result: RunJobResult) => void; onProgress: (progress: RunJobProgress) => void }
  >();

  private constructor(
    private readonly connection: Redis,
    private readonly eventsConnection: Redis,
    private readonly queue: Queue<QueueJob, RunJobResult>,
    private readonly events: QueueEvents,
    private readonly name: string,
  ) {
    events.on("progress", ({ jobId, data }) => {
      if (typeof data === "object" && data !== null)
        this.waiting.get(jobId)?.onProgress(data as unknown as RunJobProgress);
    });
    events.on("completed", ({ jobId, returnvalue }) => this.settle(jobId, asResult(returnvalue)));
    events.on("failed", ({ jobId, failedReason }) =>
      this.settle(jobId, { status: "FAILED", error: failedReason, metrics: {} }),
    );
    events.on("removed", ({ jobId }) =>
      this.settle(jobId, { status: "KILLED", error: "Cancelled before a worker took it.", metrics: {} }),
    );
  }

  /** Connects to the settings' Redis (a clear error when it cannot be reached) and its queue. */
  static async open(settings: WorkersSettings): Promise<RunQueue> {
    const connection = await connectRedis(settings.redisUrl);
    const eventsConnection = connection.duplicate();
    const queue = new Queue<QueueJob, RunJobResult>(settings.queue, { connection });
    const events = new QueueEvents(settings.queue, { connection: eventsConnection });
    await events.waitUntilReady();
    return new RunQueue(connection, eventsConnection, queue, events, settings.queue);
  }

  private settle(jobId: string, result: RunJobResult): void {
    const waiter = this.waiting.get(jobId);
    if (waiter === undefined) return;
    this.waiting.delete(jobId);
    waiter.resolve(result);
  }

  /** Queues `job`; `onProgress` gets its run id and progress lines as workers report them. */
  async submit(job: QueueJob, onProgress: (progress: RunJobProgress) => void): Promise<QueuedRun> {
    const jobId = randomUUID();
    const result = new Promise<RunJobResult>((resolve) => this.waiting.set(jobId, { resolve, onProgress }));
    // Kept a day after they end, so a follower that lost its connection can still read the outcome.
    await this.queue.add(isNodeJob(job) ? `${job.pipeline}.${job.task.node}` : job.pipeline, job, {
      jobId,
      removeOnComplete: { age: 24 * 3600 },
      removeOnFail: { age: 24 * 3600 },
    });
    return { jobId, result };
  }

  /** Cancels job `jobId`: removed when no worker took it yet, else its worker ends the run KILLED. */
  async cancel(jobId: string): Promise<void> {
    const job = await this.queue.getJob(jobId);
    if (job === undefined) return;
    const state = await job.getState();
    if (state === "waiting" || state === "delayed" || state === "prioritized") {
      await job.remove().catch(() => undefined);
      this.settle(jobId, { status: "KILLED", error: "Cancelled before a worker took it.", metrics: {} });
      return;
    }
    await requestCancel(this.connection, this.name, jobId);
  }

  /** Closes the connections. */
  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    this.connection.disconnect();
    this.eventsConnection.disconnect();
  }
}
