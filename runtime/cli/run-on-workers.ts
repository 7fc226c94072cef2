/** `cellforge run --on workers`: queues the run, prints its progress as workers report it, and exits with its outcome; Ctrl-C cancels it. */
import type { JobRequest } from "../workers/prepare-job.ts";
import { formatDuration, formatValue } from "./table.ts";

/** Queues one run and follows it to the end; resolves to the exit code (0 FINISHED, 1 FAILED, 130 cancelled). */
export async function runOnWorkers(request: JobRequest): Promise<number> {
  const { prepareRunJob } = await import("../workers/prepare-job.ts");
  const { workersSettings } = await import("../workers/workers-settings.ts");
  const { RunQueue } = await import("../workers/run-queue.ts");
  const { displayUrl } = await import("../workers/redis-connection.ts");
  // Parameters, filters and the pipeline are checked before anything is queued.
  const { job } = await prepareRunJob(request);
  const settings = workersSettings(request.root, request.env);
  const queue = await RunQueue.open(settings);
  let attempt = 0;
  try {
    const queued = await queue.submit(job, (progress) => {
      if (progress.attempt !== attempt) {
        attempt = progress.attempt;
        const retry = attempt > 1 ? ` (attempt ${attempt}: its previous worker stopped answering)` : "";
        console.log(`worker ${progress.worker} took the job${retry}`);
      }
      if (progress.line === undefined && progress.runId !== undefined)
        console.log(`run ${progress.runId} · pipeline ${job.pipeline}`);
      if (progress.line !== undefined) console.log(progress.line);
    });
    console.log(
      `cellforge run ${job.pipeline} · queued as job ${queued.jobId} on ${settings.queue} at ${displayUrl(settings.redisUrl)}`,
    );
    let interrupted = false;
    const onSigint = (): void => {
      if (interrupted) return;
      interrupted = true;
      console.error("\ncellforge run: SIGINT received, cancelling the job.");
      void queue.cancel(queued.jobId);
    };
    process.on("SIGINT", onSigint);
    const result = await queued.result.finally(() => process.removeListener("SIGINT", onSigint));
    const id = result.runId?.slice(0, 8) ?? "(not recorded)";
    if (result.status === "FINISHED") {
      console.log(
        `\nRun ${id} FINISHED${result.durationMs === undefined ? "" : ` in ${formatDuration(result.durationMs)}`} on a worker.`,
      );
      const metrics = Object.entries(result.metrics);
      if (metrics.length > 0) console.log(`Metrics: ${metrics.map(([k, v]) => `${k} ${formatValue(v)}`).join(" · ")}`);
      if (result.model !== undefined) console.log(`${result.model[0]!.toUpperCase()}${result.model.slice(1)}.`);
      return 0;
    }
    console.error(`\n✗ Run ${id} ${result.status}: ${result.error ?? ""}`);
    return interrupted || result.status === "KILLED" ? 130 : 1;
  } finally {
    await queue.close();
  }
}
