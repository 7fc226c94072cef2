/**
 * A node worker: executes the one node its parent sends, in this process, with the project's own
 * pipeline code and catalog, and forwards every run event back, waiting for the parent to handle
 * each (so a save waits for the parent's save lock). Started by ChildProcessRunner with tsx.
 */
import { Catalog } from "../../../../runtime/catalog/catalog.ts";
import { loadProjectConfig } from "../../../../runtime/config/config-loader.ts";
import type { RunEvent } from "../../../../runtime/events/run-event.ts";
import { InProcessRunner } from "../../../../runtime/pipeline/in-process-runner.ts";
import { loadPipeline } from "../../../../runtime/pipeline/load-pipeline.ts";
import { useFastestBackend } from "../../../../runtime/tfjs/backend.ts";
import { captureTrainingMetrics } from "../../../../runtime/tracking/tfjs-epochs.ts";
import type { FromWorker, ToWorker } from "./messages.ts";

const send = (message: FromWorker): Promise<void> =>
  new Promise((done, fail) =>
    process.send!(message, undefined, undefined, (error) => (error === null ? done() : fail(error))),
  );

const acks = new Map<number, () => void>();
let nextId = 0;

/** Sends `event` to the parent and resolves once the parent has handled it. */
function forward(event: RunEvent): Promise<void> {
  const id = nextId++;
  const acked = new Promise<void>((done) => acks.set(id, done));
  return send({ kind: "event", id, event }).then(() => acked);
}

async function execute({ root, env, task }: Extract<ToWorker, { kind: "task" }>): Promise<void> {
  const config = loadProjectConfig(root, env);
  const pipeline = await loadPipeline(root, task.pipeline);
  const catalog = new Catalog(config.catalog, { root, pipeline: pipeline.name });
  await useFastestBackend();
  captureTrainingMetrics();
  try {
    const execution = await new InProcessRunner({ pipeline, catalog, root }).runNode(task, forward);
    await send({ kind: "done", execution });
  } catch (error) {
    await send({ kind: "failed", message: error instanceof Error ? error.message : String(error) });
  } finally {
    await catalog.release();
    process.disconnect();
  }
}

process.on("message", (message: ToWorker) => {
  if (message.kind === "ack") acks.get(message.id)?.();
  else void execute(message);
});
