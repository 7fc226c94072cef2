/**
 * The process one queued run executes in (started by a worker, or by a local sweep, with tsx): a
 * normal tracked run (runSession) in a fresh process, so each run has its own TensorFlow.js and
 * seeded random state, and stopping a run is ending its process. It receives its RunJob as the
 * first IPC message and reports RunJobMessages back. SIGINT ends the run KILLED (a cancel), SIGUSR2
 * too (its worker lost the job to another); losing
 * its parent (a worker killed with SIGKILL) ends it KILLED too.
 */
import { removePendingTemporaryFiles } from "../catalog/atomic-write.ts";
import { RunFailedError, runSession, type StartedRun } from "../session/run-session.ts";
import { useFastestBackend } from "../tfjs/backend.ts";
import type { RunJob, RunJobMessage, RunJobResult } from "./run-job.ts";

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
  }
}

process.once("message", (job: RunJob) => {
  void execute(job).then(async (result) => {
    await send({ type: "outcome", result });
    process.exit(0);
  });
});
