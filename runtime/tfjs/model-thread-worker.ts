/** The model thread (see model-thread.ts): loads the models it is sent and runs their forward passes in arrival order. */
import { parentPort } from "node:worker_threads";
import { tf, useFastestBackend } from "./backend.ts";
import { inferHere } from "./inference.ts";
import type { ModelThreadReply, ModelThreadRequest } from "./model-thread.ts";

const port = parentPort;
if (port === null)
  throw new Error("model-thread-worker.ts runs as a worker thread; start it with ModelThread.start().");

const { description } = await useFastestBackend();
const models = new Map<number, Promise<tf.LayersModel>>();

const reply = (message: ModelThreadReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Each output's values, in a buffer of their own so that it can be handed over without a copy. */
function run(model: tf.LayersModel, features: Float32Array, shape: [number, number]): Float32Array[] {
  return inferHere(model, features, shape).map((values) =>
    values.byteOffset === 0 && values.byteLength === values.buffer.byteLength ? values : values.slice(),
  );
}

async function handle(message: ModelThreadRequest): Promise<void> {
  switch (message.kind) {
    case "load": {
      const loading = tf.loadLayersModel(
        tf.io.fromMemory({
          modelTopology: message.topology as tf.io.ModelArtifacts["modelTopology"],
          weightSpecs: message.weightSpecs,
          weightData: message.weightData,
        }),
      );
      models.set(message.id, loading);
      try {
        await loading;
        reply({ kind: "loaded", id: message.id });
      } catch (error) {
        models.delete(message.id);
        reply({ kind: "loaded", id: message.id, error: reason(error) });
      }
      return;
    }
    case "unload": {
      const model = models.get(message.id);
      models.delete(message.id);
      (await model?.catch(() => undefined))?.dispose(); // a model that failed to load has nothing to free
      return;
    }
    case "infer": {
      const model = models.get(message.id);
      try {
        if (model === undefined) throw new Error(`no model ${message.id} is loaded on the model thread`);
        const outputs = run(await model, message.features, message.shape);
        reply(
          { kind: "outputs", call: message.call, outputs },
          outputs.map((o) => o.buffer as ArrayBuffer),
        );
      } catch (error) {
        reply({ kind: "outputs", call: message.call, error: reason(error) });
      }
    }
  }
}

port.on("message", (message: ModelThreadRequest) => void handle(message));
reply({ kind: "ready", backend: description });
