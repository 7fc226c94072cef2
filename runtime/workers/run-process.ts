/**
 * The process queued runs execute in (started by a worker slot, or by a local sweep lane, with
 * tsx): a warm process that has loaded the runtime and TensorFlow.js once and then runs the jobs
 * it receives as IPC messages one after another, each a normal tracked run (runSession) with its own
 * run scope and seeded random streams, or one node of a run driven node by node (node-job-execution.ts); what TF.js kept of a run (tensors, variables) is disposed
 * before the next. It reports RunJobMessages back. Stopping a run is ending its process: SIGINT ends
 * the run KILLED (a cancel), SIGUSR2 too (its worker lost the job to another); losing its parent (a
 * worker killed with SIGKILL) ends it KILLED too.
 */
import { removePendingTemporaryFiles } from "../catalog/atomic-write.ts";
import { listPipelines, loadPipeline } from "../pipeline/load-pipeline.ts";
import { RunFailedError, runSession, type StartedRun } from "../session/run-session.ts";
import { tf, useFastestBackend } from "../tfjs/backend.ts";
import { executeNodeJob } from "./node-job-execution.ts";
import { checkCodeVersion, CodeVersionMismatchError, commitOf, isNodeJob } from "./run-job.ts";
import type { QueueJob, RunJob, RunJobMessage, RunJobResult } from "./run-job.ts";

function send(message: RunJobMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) return resolve();
    process.send(message, undefined, {}, () => resolve());
  });
}

let started: StartedRun | undefined;

function endAndExit(reason: string, code: number): void {
  removePendingTemporaryFiles();
  const end = started === undefined ? Promise.resolve() : started.end("KILLED", reason);
  void end.finally(() => process.exit(code));
}

process.once("SIGINT", () =>
  endAndExit("Cancelled: the job was cancelled (Ctrl-C in the command that queued it).", 130),
);
process.once("SIGTERM", () => endAndExit("Stopped by SIGTERM.", 143));
process.once("SIGUSR2", () =>
  endAndExit(
    "Its worker lost the job's lock (too busy, or cut off from Redis), so another worker takes the job: this attempt stopped.",
    143,
  ),
);
process.once("disconnect", () => endAndExit("The worker running it ended without finishing the run (killed?).", 1));

/** The refusal of a job queued with other node code, checked against the code this process runs (which a worker's own import could not tell). */
async function refusal(job: QueueJob): Promise<RunJobResult | undefined> {
  try {
    checkCodeVersion(job, await loadPipeline(process.cwd(), job.pipeline), commitOf(process.cwd()));
  } catch (error) {
    if (error instanceof CodeVersionMismatchError)
      return { status: "FAILED", error: error.message, metrics: {}, refused: true };
    // Any other load error fails the run below, recorded as runs always are.
  }
  return undefined;
}

async function execute(job: RunJob): Promise<RunJobResult> {
  try {
    const outcome = await runSession({
      cwd: process.cwd(),
      pipeline: job.pipeline,
      env: job.env,
      params: job.params,
      tags: job.tags,
      force: job.force,
      register: job.register,
      ...(job.filter === undefined ? {} : { filter: job.filter }),
      write: (line) => void send({ type: "line", line }),
      onReady: async () => ({ "cellforge.backend": (await useFastestBackend()).description }),
      onRunStarted: (run) => {
        started = run;
        void send({ type: "started", runId: run.runId });
      },
    });
    const model =
      outcome.model !== undefined
        ? `model ${outcome.model.version.name} version ${outcome.model.version.version} ${outcome.model.created ? "registered" : "unchanged"}`
        : outcome.registrationSkipped === undefined
          ? undefined
          : `no model registered: ${outcome.registrationSkipped}`;
    return {
      runId: outcome.run.id,
      status: "FINISHED",
      metrics: outcome.run.metrics,
      durationMs: outcome.result.durationMs,
      ...(model === undefined ? {} : { model }),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof RunFailedError) return { runId: error.runId, status: "FAILED", error: message, metrics: {} };
    return { status: "FAILED", error: message, metrics: {} };
  } finally {
    started = undefined;
  }
}

/** Imports the project's pipelines (their TF.js, danfojs…) before the first job; one that does not load fails its runs instead. */
async function warmUp(): Promise<void> {
  await useFastestBackend().catch(() => undefined);
  for (const name of listPipelines(process.cwd())) await loadPipeline(process.cwd(), name).catch(() => undefined);
}

// Warmed before the first job arrives: the runtime is imported above, TF.js and the pipelines here.
const backend = warmUp().then(() => send({ type: "ready" }));
let queue = Promise.resolve();
/** One job, whole run or node, with what TF.js kept of it disposed afterwards. */
async function executeJob(job: QueueJob): Promise<RunJobResult> {
  const refused = await refusal(job);
  if (refused !== undefined) return refused;
  // Tensors a job's nodes left behind are disposed with its scope, its model's weights with the variables.
  tf.engine().startScope();
  try {
    if (isNodeJob(job)) return await executeNodeJob(process.cwd(), job, (event) => send({ type: "event", event }));
    return await execute(job);
  } finally {
    tf.engine().endScope();
    tf.disposeVariables();
  }
}

process.on("message", (job: QueueJob) => {
  queue = queue.then(async () => {
    await backend;
    await send({ type: "outcome", result: await executeJob(job) });
  });
});
