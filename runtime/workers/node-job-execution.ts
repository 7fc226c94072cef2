/**
 * Executing one node of a run driven node by node (`cellforge run --on workers`) in a worker's run
 * process: the node's inputs are loaded from the shared catalog, it is called under its seed and run
 * scope by the normal in-process runner, its outputs saved to the catalog; its run events go back
 * to the command that records the run. No hooks of cellforge.hooks.ts run here: the command calls
 * them with the run's events.
 */
import { Catalog } from "../catalog/catalog.ts";
import { loadProjectConfig } from "../config/config-loader.ts";
import { projectCredentials } from "../config/project-credentials.ts";
import type { RunEvent } from "../events/run-event.ts";
import { InProcessRunner } from "../pipeline/in-process-runner.ts";
import { loadPipeline } from "../pipeline/load-pipeline.ts";
import { loadProjectSetup } from "../project/project-setup.ts";
import { captureTrainingMetrics } from "../tracking/tfjs-epochs.ts";
import type { NodeJob, RunJobResult } from "./run-job.ts";

/** Runs `job`'s node in this process against the project at `root`; `onEvent` gets its run events in order. */
export async function executeNodeJob(
  root: string,
  job: NodeJob,
  onEvent: (event: RunEvent) => Promise<void>,
): Promise<RunJobResult> {
  const config = loadProjectConfig(root, job.env);
  const pipeline = await loadPipeline(root, job.pipeline);
  const project = await loadProjectSetup(root);
  const catalog = new Catalog(config.catalog, {
    root,
    pipeline: pipeline.name,
    types: project.datasetTypes,
    credentials: projectCredentials(root, job.env),
  });
  captureTrainingMetrics();
  try {
    const execution = await new InProcessRunner({ pipeline, catalog, root }).runNode(job.task, onEvent);
    return {
      status: "FINISHED",
      metrics: {},
      execution,
      ...(job.task.runId === undefined ? {} : { runId: job.task.runId }),
    };
  } catch (error) {
    return { status: "FAILED", error: error instanceof Error ? error.message : String(error), metrics: {} };
  } finally {
    await catalog.release();
  }
}
