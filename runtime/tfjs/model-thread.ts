/**
 * The model thread: a worker thread that runs models' forward passes for `inferBatch` (inference.ts).
 *
 * A forward pass on WASM holds the thread it runs on: run on the server's event loop, a 10,000-row batch stops it
 * from reading the next request and from writing the last answer for as long as the model runs. On its own thread the
 * model computes while the event loop parses bodies, writes features and answers, and the two overlap. The thread
 * holds a copy of the weights (sent once, at attach) and runs the same backend and the same kernels (`infer`), so its
 * outputs are the same to the bit. The model stays usable on the main thread too: should the thread fail, calls run
 * there again.
 */
import { Worker } from "node:worker_threads";
import * as tf from "@tensorflow/tfjs";
import { InferenceSiteGoneError, placeModel, type InferenceSite } from "./inference.ts";

/** What the thread is sent. */
export type ModelThreadRequest =
  | {
      kind: "load";
      id: number;
      topology: unknown;
      weightSpecs: tf.io.WeightsManifestEntry[];
      weightData: ArrayBuffer;
    }
  | { kind: "unload"; id: number }
  | { kind: "infer"; call: number; id: number; features: Float32Array; shape: [number, number] };

/** What the thread answers. */
export type ModelThreadReply =
  | { kind: "ready"; backend: string }
  | { kind: "loaded"; id: number; error?: string }
  | { kind: "outputs"; call: number; outputs?: Float32Array[]; error?: string };

/** An answer the thread owes: a model's load, or a call's outputs. */
interface Pending {
  resolve(value: Float32Array[] | undefined): void;
  reject(error: Error): void;
}

/** A worker thread that runs attached models' forward passes, one call at a time, in the order they were asked for. */
export class ModelThread implements InferenceSite {
  /** Answers due, by the load's model id or the call's number (one counter numbers both). */
  private readonly pending = new Map<number, Pending>();
  /** Each attached model's id on the thread. */
  private readonly ids = new Map<tf.LayersModel, number>();
  private next = 0;
  private stopped: string | undefined;

  private constructor(
    private readonly worker: Worker,
    /** The backend the thread runs, e.g. "wasm (SIMD)". */
    readonly backend: string,
  ) {
    worker.on("message", (reply: ModelThreadReply) => this.receive(reply));
    worker.on("error", (error) => this.stop(`the model thread failed: ${error.message}`));
    worker.on("exit", (code) => this.stop(`the model thread exited with code ${code}`));
    worker.unref();
  }

  /** Starts a thread and waits until its TensorFlow.js backend is ready. */
  static async start(): Promise<ModelThread> {
    const worker = new Worker(new URL("./model-thread-entry.js", import.meta.url));
    const backend = await new Promise<string>((resolve, reject) => {
      const fail = (error: Error): void =>
        reject(new InferenceSiteGoneError(`The model thread did not start: ${error.message}`));
      worker.once("error", fail);
      worker.once("exit", (code) => fail(new Error(`it exited with code ${code}`)));
      worker.once("message", (reply: ModelThreadReply) => {
        worker.removeAllListeners("error").removeAllListeners("exit");
        if (reply.kind === "ready") resolve(reply.backend);
        else fail(new Error(`it answered ${reply.kind} before it was ready`));
      });
    });
    return new ModelThread(worker, backend);
  }

  /** Sends `model`'s topology and weights to the thread; from then on `inferBatch(model, …)` runs there. */
  async attach(model: tf.LayersModel): Promise<void> {
    if (this.stopped !== undefined) throw new InferenceSiteGoneError(`Cannot attach a model: ${this.stopped}.`);
    if (this.ids.has(model)) return;
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler((artifacts) => {
        saved = artifacts;
        return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } });
      }),
    );
    const weightData = saved?.weightData;
    if (saved?.modelTopology === undefined || saved.weightSpecs === undefined || !(weightData instanceof ArrayBuffer)) {
      throw new Error("The model could not be sent to the model thread: saving it gave no topology or weights.");
    }
    const id = this.next++;
    const loaded = this.answer(id);
    const load = {
      kind: "load",
      id,
      topology: saved.modelTopology,
      weightSpecs: saved.weightSpecs,
      weightData,
    } as const;
    this.post(load, [weightData]);
    await loaded;
    this.ids.set(model, id);
    placeModel(model, this);
  }

  /** Runs `model` on the main thread again and frees its copy on this one. */
  detach(model: tf.LayersModel): void {
    const id = this.ids.get(model);
    if (id === undefined) return;
    this.ids.delete(model);
    placeModel(model, undefined);
    if (this.stopped === undefined) this.post({ kind: "unload", id });
  }

  /** Runs an attached model on one batch. */
  run(model: tf.LayersModel, features: Float32Array, shape: readonly [number, number]): Promise<Float32Array[]> {
    const id = this.ids.get(model);
    if (this.stopped !== undefined || id === undefined) {
      return Promise.reject(new InferenceSiteGoneError(`${this.stopped ?? "the model is not on the model thread"}.`));
    }
    const call = this.next++;
    const result = this.answer(call) as Promise<Float32Array[]>;
    // A view is sent with its whole buffer: a slice of a big array would copy all of it, twice.
    const own = features.byteOffset === 0 && features.byteLength === features.buffer.byteLength;
    this.post({ kind: "infer", call, id, features: own ? features : features.slice(), shape: [shape[0], shape[1]] });
    return result;
  }

  /** Stops the thread; attached models run on the main thread again. */
  async close(): Promise<void> {
    this.stop("the model thread was closed");
    await this.worker.terminate();
  }

  /** The answer numbered `key`, once the thread sends it. */
  private answer(key: number): Promise<Float32Array[] | undefined> {
    const answer = new Promise<Float32Array[] | undefined>((resolve, reject) =>
      this.pending.set(key, { resolve, reject }),
    );
    this.awaitAnswers();
    return answer;
  }

  /** Keeps the process alive while an answer is due, and only then: an idle thread does not hold a CLI open. */
  private awaitAnswers(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private post(message: ModelThreadRequest, transfer: ArrayBuffer[] = []): void {
    this.worker.postMessage(message, transfer);
  }

  private receive(reply: ModelThreadReply): void {
    if (reply.kind === "ready") return;
    const key = reply.kind === "loaded" ? reply.id : reply.call;
    const pending = this.pending.get(key);
    this.pending.delete(key);
    this.awaitAnswers();
    if (reply.kind === "loaded") {
      if (reply.error === undefined) pending?.resolve(undefined);
      else pending?.reject(new Error(`The model thread could not load the model: ${reply.error}`));
    } else if (reply.outputs !== undefined) pending?.resolve(reply.outputs);
    else pending?.reject(new Error(reply.error ?? "the model thread answered without outputs"));
  }

  private stop(reason: string): void {
    if (this.stopped !== undefined) return;
    this.stopped = reason;
    for (const model of this.ids.keys()) placeModel(model, undefined);
    this.ids.clear();
    const error = new InferenceSiteGoneError(`${reason[0]!.toUpperCase()}${reason.slice(1)}`);
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
