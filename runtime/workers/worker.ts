/**
 * `cellforge worker`'s engine: a BullMQ worker that takes run jobs from Redis and executes each
 * in a warm run process of one of its slots (run-in-process.ts) as a normal tracked run, against the
 * project's catalog and tracking store. It refuses jobs queued with other node code (checked in the
 * run process, against the code that would run), reports progress through BullMQ's
 * job progress, honours cancel requests, and ends the run of an attempt that another worker lost
 * (killed mid-job: BullMQ's stalled-job check hands the job on) as KILLED.
 */
import { hostname } from "node:os";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { openProjectStore } from "../stores/project-stores.ts";
import { cancelRequested } from "./cancel-request.ts";
import { RunSlot, type RunProcess } from "./run-in-process.ts";
import { isNodeJob, type QueueJob, type RunJobProgress, type RunJobResult } from "./run-job.ts";
import type { WorkersSettings } from "./workers-settings.ts";

/** How to start a worker. */
export interface WorkerOptions {
  root: string;
  settings: WorkersSettings;
  connection: Redis;
  concurrency: number;
  write?: (line: string) => void;
}

/** A started worker. */
export interface RunningWorker {
  /** Resolves once its run processes have loaded TF.js and the project's pipelines. */
  warm: Promise<void>;
  /** Stops taking jobs and waits for the current ones to end. */
  drain(): Promise<void>;
  /** Cancels the current runs (they end KILLED) and stops; their jobs go to another worker once their lock expires. */
  stopNow(): Promise<void>;
}

function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

/** Ends the run an earlier attempt of this job left behind (its worker died) as KILLED. */
async function endAbandonedRun(
  root: string,
  env: string,
  progress: unknown,
  attempt: number,
): Promise<string | undefined> {
  if (typeof progress !== "object" || progress === null) return undefined;
  const { runId, worker } = progress as Partial<RunJobProgress>;
  if (typeof runId !== "string") return undefined;
  const { store } = await openProjectStore(root, env);
  try {
    await store.endRun(
      runId,
      "KILLED",
      `Its worker (${worker ?? "unknown"}) stopped answering mid-run; the job was handed to another worker (attempt ${attempt}).`,
    );
  } finally {
    await store.close();
  }
  return runId;
}

/** Starts taking jobs from the settings' queue. */
export function startWorker(options: WorkerOptions): RunningWorker {
  const { root, settings } = options;
  const write = options.write ?? ((line: string) => console.log(line));
  const me = workerName();
  const stopping = new Set<() => void>();
  const runs = new Map<string, RunProcess>();
  // One warm run process per concurrent job, started now so that the first job does not wait for TF.js.
  const slots: RunSlot[] = [];
  const newSlot = (): RunSlot => {
    const slot = new RunSlot(root, settings.runsPerProcess);
    slots.push(slot);
    return slot;
  };
  const idle = Array.from({ length: options.concurrency }, newSlot);
  const warm = Promise.all(idle.map((slot) => slot.warm())).then(() => undefined);

  const processor = async (job: Job<QueueJob, RunJobResult>): Promise<RunJobResult> => {
    const data = job.data;
    const label = isNodeJob(data)
      ? `job ${job.id} (${data.pipeline}, node ${data.task.node})`
      : `job ${job.id} (${data.pipeline})`;
    const attempt = job.attemptsStarted;
    const abandoned = await endAbandonedRun(root, data.env, job.progress, attempt);
    if (abandoned !== undefined) write(`${label}: run ${abandoned.slice(0, 8)} of an earlier attempt marked KILLED`);
    let runId: string | undefined;
    const report = (line?: string, event?: RunJobProgress["event"]): void => {
      const progress: RunJobProgress = {
        attempt,
        worker: me,
        ...(runId === undefined ? {} : { runId }),
        ...(line === undefined ? {} : { line }),
        ...(event === undefined ? {} : { event }),
      };
      void job.updateProgress(progress as unknown as object).catch(() => undefined);
    };
    const slot = idle.pop() ?? newSlot();
    const run = slot.start(data, (message) => {
      if (message.type === "started") {
        runId = message.runId;
        write(`${label}: run ${runId.slice(0, 8)} started in process ${run.pid}`);
        report();
      } else if (message.type === "line") report(message.line);
      else if (message.type === "event") report(undefined, message.event);
    });
    // A node job's run belongs to the command that drives it: this worker reports the node taken.
    if (isNodeJob(data)) {
      write(`${label}: started in process ${run.pid}`);
      report();
    }
    const poll = setInterval(() => {
      void cancelRequested(options.connection, settings.queue, String(job.id))
        .then((yes) => {
          if (yes) run.cancel();
        })
        .catch(() => undefined);
    }, 1000);
    const stop = (): void => run.cancel();
    stopping.add(stop);
    runs.set(String(job.id), run);
    try {
      const result = await run.result;
      if (result.refused === true) {
        write(`${label}: ${result.error ?? "refused"}`);
        throw new UnrecoverableError(result.error ?? "refused");
      }
      const what = isNodeJob(data) ? "" : ` run ${result.runId?.slice(0, 8) ?? "(not recorded)"}`;
      write(`${label}:${what} ${result.status}${result.error === undefined ? "" : `: ${result.error}`}`);
      return result;
    } finally {
      clearInterval(poll);
      stopping.delete(stop);
      runs.delete(String(job.id));
      idle.push(slot);
    }
  };

  const worker = new Worker<QueueJob, RunJobResult>(settings.queue, processor, {
    connection: options.connection,
    concurrency: options.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: Math.max(1000, Math.round(settings.lockDurationMs / 2)),
    maxStalledCount: 1,
  });
  worker.on("error", () => undefined);
  // A job whose lock could not be renewed is handed to another worker: stop this attempt rather than run it twice.
  worker.on("lockRenewalFailed", (jobIds) => {
    for (const id of jobIds) {
      const run = runs.get(id);
      if (run === undefined) continue;
      write(`job ${id}: lost its lock (another worker takes it); stopping this attempt`);
      run.abandon();
    }
  });
  const closeSlots = (): void => {
    for (const slot of slots) slot.close();
  };
  return {
    warm,
    drain: () => worker.close().finally(closeSlots),
    stopNow: async () => {
      for (const stop of stopping) stop();
      await worker.close(true).finally(closeSlots);
    },
  };
}
