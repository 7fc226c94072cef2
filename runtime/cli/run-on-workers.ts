/** `cellforge run --on workers`: queues the run, prints its progress as workers report it, and exits with its outcome; Ctrl-C cancels it. */
import type { JobRequest } from "../workers/prepare-job.ts";
import type { RunJob } from "../workers/run-job.ts";
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
  const { nodesToRun } = await import("../workers/node-by-node.ts");
  const { count, inMemory } = await nodesToRun(request.root, request.env, job.pipeline, request.filter);
  // A single node is one job either way: as a whole run, the worker records it.
  if (count > 1 && inMemory.length === 0) return runNodeByNode(request, job);
  if (inMemory.length > 0)
    console.log(
      `cellforge run ${job.pipeline}: one job (${inMemory.map((d) => `\`${d}\``).join(", ")} pass between nodes in memory; declare them in the catalog to run node by node)`,
    );
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

/** Records and schedules the run here, each node executed by a worker; resolves to the exit code. */
async function runNodeByNode(request: JobRequest, job: RunJob): Promise<number> {
  const { workersSettings } = await import("../workers/workers-settings.ts");
  const { RunQueue } = await import("../workers/run-queue.ts");
  const { displayUrl } = await import("../workers/redis-connection.ts");
  const { WorkersRunner } = await import("../workers/workers-runner.ts");
  const { runSession, RunFailedError } = await import("../session/run-session.ts");
  const settings = workersSettings(request.root, request.env);
  const queue = await RunQueue.open(settings);
  const runner = new WorkersRunner(
    queue,
    {
      kind: "node",
      pipeline: job.pipeline,
      env: job.env,
      codeHashes: job.codeHashes,
      ...(job.commit === undefined ? {} : { commit: job.commit }),
    },
    (node, worker) => console.log(`  ${node} → worker ${worker}`),
  );
  console.log(
    `cellforge run ${job.pipeline} · node by node on workers · queue ${settings.queue} at ${displayUrl(settings.redisUrl)}`,
  );
  let interrupted = false;
  let end: ((reason: string) => Promise<void>) | undefined;
  const onSigint = (): void => {
    if (interrupted) return;
    interrupted = true;
    console.error("\ncellforge run: SIGINT received, cancelling the run's nodes.");
    void (end?.("Cancelled: Ctrl-C in the command that drove it.") ?? Promise.resolve()).then(() => runner.cancel());
  };
  process.on("SIGINT", onSigint);
  try {
    const outcome = await runSession({
      cwd: request.root,
      pipeline: job.pipeline,
      env: job.env,
      params: job.params,
      tags: job.tags,
      force: job.force,
      register: job.register,
      ...(job.filter === undefined ? {} : { filter: job.filter }),
      runner,
      onRunStarted: (run) => {
        end = (reason) => run.end("KILLED", reason);
        console.log(`run ${run.runId} · pipeline ${job.pipeline}`);
      },
    });
    console.log(
      `\nRun ${outcome.run.id.slice(0, 8)} FINISHED in ${formatDuration(outcome.result.durationMs)}, node by node on workers.`,
    );
    const metrics = Object.entries(outcome.run.metrics);
    if (metrics.length > 0) console.log(`Metrics: ${metrics.map(([k, v]) => `${k} ${formatValue(v)}`).join(" · ")}`);
    if (outcome.model !== undefined)
      console.log(
        `Model ${outcome.model.version.name} version ${outcome.model.version.version} ${outcome.model.created ? "registered" : "unchanged"}.`,
      );
    return 0;
  } catch (error) {
    if (!(error instanceof RunFailedError)) throw error;
    console.error(`\n✗ Run ${error.runId.slice(0, 8)} ${interrupted ? "KILLED" : "FAILED"}: ${error.message}`);
    return interrupted ? 130 : 1;
  } finally {
    process.removeListener("SIGINT", onSigint);
    await queue.close();
  }
}
