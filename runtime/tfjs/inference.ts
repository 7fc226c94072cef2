/**
 * `infer(model, x)`: a LayersModel's forward pass for serving, with the answers of
 * `model.predictOnBatch(x)` and a fraction of its cost per call.
 *
 * For a small model, most of a `predictOnBatch` call is the layers engine around the kernels
 * (feed dictionaries, a scope and a tidy per layer, the training-phase switch), not the kernels:
 * on WASM it is ~0.15 ms per call however few rows it gets. The micro-batcher calls the predict
 * cell once per batch, so that fixed cost is what bounds the server. Models made of dense layers
 * (the common tabular classifier, with dropout and several heads, or an ensemble of them averaged by
 * an Average layer) run here as the same kernels
 * `Dense.call` would issue, in graph order, read from the model's own weights at each call;
 * any other layer makes `infer` call `predictOnBatch`, so it is never wrong, only sometimes not faster.
 *
 * The dense steps run the kernels themselves (`_FusedMatMul`, `Add`, `Softmax`, `Sigmoid`) on the batch kept at rank 3 from
 * the first layer to the outputs, which is what `tf.fused.matMul` hands its kernel: the op around it
 * reshapes both operands and the result and wraps the call for gradients, ~30 µs per call on the
 * Pokémon model (a third of a one-row call), for nothing inference needs.
 */
import * as tf from "@tensorflow/tfjs";

/** How `infer` runs a model: as planned kernels, or through `predictOnBatch` (with the reason). */
export interface InferencePlan {
  /** Whether the model runs as planned kernels. */
  readonly direct: boolean;
  /** Why not, when `direct` is false: the first layer the plan does not handle. */
  readonly reason?: string;
  /** Runs the model on one batch; one tensor per model input, one per output (like `predictOnBatch`). */
  run(inputs: tf.Tensor[]): tf.Tensor[];
}

/** Layers that are the identity at inference. */
const INFERENCE_IDENTITY = new Set(["Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout"]);
/** Activations `Dense.call` fuses into its matMul (tfjs-layers' mapActivationToFusedKernel). */
const FUSED = new Set(["linear", "relu", "elu"]);
/** Each activation as tfjs-layers' activation objects apply it (after the matMul and the bias when not fused). */
const ACTIVATIONS: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  elu: (x) => tf.elu(x),
  sigmoid: (x) => runKernel(tf.Sigmoid, { x }),
  softmax: (x) => runKernel(tf.Softmax, { logits: x }, { dim: x.rank - 1 }),
  tanh: (x) => tf.tanh(x),
  selu: (x) => tf.selu(x),
  softplus: (x) => tf.softplus(x),
  relu6: (x) => tf.minimum(6, tf.relu(x)),
};

/** The slice of tfjs-layers' SymbolicTensor (a graph edge) the plan reads. */
interface Edge {
  readonly id: number;
  readonly shape: readonly (number | null)[];
  readonly sourceLayer: tf.layers.Layer;
  readonly inputs: readonly Edge[];
}

type Step = (values: Map<number, tf.Tensor>) => void;

class Unsupported extends Error {}

/** Raised when a batch does not fit the model's inputs. */
export class InferenceInputError extends Error {
  readonly code = "INFERENCE_INPUT";
  constructor(message: string) {
    super(message);
    this.name = "InferenceInputError";
  }
}

function activationOf(layer: tf.layers.Layer): string {
  const activation = layer.getConfig()["activation"];
  if (typeof activation !== "string" || !(activation in ACTIVATIONS)) {
    throw new Unsupported(`layer "${layer.name}" has the activation ${JSON.stringify(activation)}`);
  }
  return activation;
}

/** Runs one TF.js kernel (see the module comment on why not the op functions); its outputs belong to the caller's scope. */
function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}): tf.Tensor {
  return tf.engine().runKernel<tf.Tensor>(name, inputs, attrs);
}

function reshape(x: tf.Tensor, shape: number[]): tf.Tensor {
  return runKernel(tf.Reshape, { x }, { shape });
}

/**
 * The `_FusedMatMul` kernel `tf.fused.matMul` runs, with its default attributes, on a rank-3 `a` (a
 * batch of one) and a weight matrix: what the op does, without the 3 reshapes and the gradient wrapper around it.
 */
function fusedMatMul(a: tf.Tensor, weights: tf.Tensor, bias: tf.Tensor | undefined, activation: string): tf.Tensor {
  const b = reshape(weights, [1, ...weights.shape]);
  const inputs: tf.NamedTensorMap = bias === undefined ? { a, b } : { a, b, bias };
  return runKernel(tf._FusedMatMul, inputs, { transposeA: false, transposeB: false, activation, leakyreluAlpha: 0.2 });
}

/** The kernels of one Dense layer on a rank-2 input (kept as a batch of one, rank 3, between steps), as `Dense.call` issues them. */
function denseStep(edge: Edge, input: Edge): Step {
  const layer = edge.sourceLayer;
  if (input.shape.length !== 2)
    throw new Unsupported(`dense layer "${layer.name}" takes a rank-${input.shape.length} input`);
  const activation = activationOf(layer);
  const [kernel, bias] = layer.weights;
  if (kernel === undefined) throw new Unsupported(`dense layer "${layer.name}" has no weights`);
  if (FUSED.has(activation)) {
    return (values) => values.set(edge.id, fusedMatMul(values.get(input.id)!, kernel.read(), bias?.read(), activation));
  }
  const after = ACTIVATIONS[activation]!;
  return (values) => {
    let output = fusedMatMul(values.get(input.id)!, kernel.read(), undefined, "linear");
    if (bias !== undefined) output = runKernel(tf.Add, { a: output, b: bias.read() });
    values.set(edge.id, after(output));
  };
}

/**
 * The kernels of an Add or Average layer (an ensemble's mean, a wide path's sum), as their `mergeFunction` issues
 * them: the inputs added left to right, then for Average a multiplication by 1/n.
 */
function mergeStep(edge: Edge, kind: "Add" | "Average"): Step {
  const layer = edge.sourceLayer;
  const shape = edge.inputs[0]?.shape;
  if (edge.inputs.some((input) => input.shape.length !== 2 || input.shape[1] !== shape?.[1]))
    throw new Unsupported(`layer "${layer.name}" (${kind}) merges inputs of different shapes`);
  const ids = edge.inputs.map((input) => input.id);
  return (values) => {
    let output = values.get(ids[0]!)!;
    for (const id of ids.slice(1)) output = runKernel(tf.Add, { a: output, b: values.get(id)! });
    if (kind === "Average") output = runKernel(tf.Multiply, { a: tf.scalar(1 / ids.length), b: output });
    values.set(edge.id, output);
  };
}

function stepFor(edge: Edge): Step {
  const layer = edge.sourceLayer;
  const kind = layer.getClassName();
  if ((kind === "Add" || kind === "Average") && edge.inputs.length > 1) return mergeStep(edge, kind);
  const [input, ...more] = edge.inputs;
  if (input === undefined || more.length > 0)
    throw new Unsupported(`layer "${layer.name}" (${kind}) has ${edge.inputs.length} inputs`);
  if (kind === "Dense") return denseStep(edge, input);
  if (INFERENCE_IDENTITY.has(kind)) return (values) => values.set(edge.id, values.get(input.id)!);
  if (kind === "Activation") {
    const apply = ACTIVATIONS[activationOf(layer)]!;
    return (values) => values.set(edge.id, apply(values.get(input.id)!));
  }
  throw new Unsupported(`layer "${layer.name}" is a ${kind}`);
}

/** Orders the steps from the model's inputs to its outputs (depth first from each output). */
function planSteps(inputIds: readonly number[], outputs: readonly Edge[]): Step[] {
  const planned = new Set<number>(inputIds);
  const steps: Step[] = [];
  const visit = (edge: Edge): void => {
    if (planned.has(edge.id)) return;
    if (edge.inputs.length === 0)
      throw new Unsupported(`layer "${edge.sourceLayer.name}" is an input the model does not declare`);
    edge.inputs.forEach(visit);
    steps.push(stepFor(edge));
    planned.add(edge.id);
  };
  outputs.forEach(visit);
  return steps;
}

function checkInputs(model: tf.LayersModel, inputs: tf.Tensor[]): void {
  const expected = model.inputs;
  if (inputs.length !== expected.length) {
    throw new InferenceInputError(`The model takes ${expected.length} input tensor(s); infer got ${inputs.length}.`);
  }
  inputs.forEach((tensor, i) => {
    const shape = expected[i]!.shape;
    const fits =
      tensor.rank === shape.length && shape.every((size, axis) => size === null || size === tensor.shape[axis]);
    if (!fits) {
      throw new InferenceInputError(
        `The model's input ${expected[i]!.name} has shape [${shape.map((s) => s ?? "null").join(", ")}]; infer got [${tensor.shape.join(", ")}]. ` +
          "Build the batch with the model's feature width.",
      );
    }
  });
}

function buildPlan(model: tf.LayersModel): InferencePlan {
  const fallback = (reason: string): InferencePlan => ({
    direct: false,
    reason,
    run: (inputs) => {
      const output = model.predictOnBatch(inputs.length === 1 ? inputs[0]! : inputs);
      return Array.isArray(output) ? output : [output];
    },
  });
  const inputIds = (model.inputs as unknown as Edge[]).map((edge) => edge.id);
  const outputs = model.outputs as unknown as Edge[];
  const outputIds = outputs.map((edge) => edge.id);
  let steps: Step[];
  try {
    steps = planSteps(inputIds, outputs);
  } catch (error) {
    if (error instanceof Unsupported) return fallback(error.message);
    throw error;
  }
  return {
    direct: true,
    run: (inputs) => {
      checkInputs(model, inputs);
      const values = new Map<number, tf.Tensor>();
      inputIds.forEach((id, i) => values.set(id, reshape(inputs[i]!, [1, ...inputs[i]!.shape])));
      for (const step of steps) step(values);
      return outputIds.map((id) => {
        const output = values.get(id)!;
        return reshape(output, output.shape.slice(1));
      });
    },
  };
}

const plans = new WeakMap<tf.LayersModel, InferencePlan>();

/** How `infer` runs `model` (planned once per model). */
export function inferencePlan(model: tf.LayersModel): InferencePlan {
  let plan = plans.get(model);
  if (plan === undefined) {
    plan = buildPlan(model);
    plans.set(model, plan);
  }
  return plan;
}

/**
 * Runs `model` forward on one batch for inference: `model.predictOnBatch(x)`'s outputs, in fewer
 * TF.js calls for dense models. Call it inside `tf.tidy`; the intermediate tensors are the caller's.
 */
export function infer(model: tf.LayersModel, x: tf.Tensor | tf.Tensor[]): tf.Tensor | tf.Tensor[] {
  const outputs = inferencePlan(model).run(Array.isArray(x) ? x : [x]);
  return outputs.length === 1 ? outputs[0]! : outputs;
}

// inferBatch: the forward pass a predict cell awaits, run where the server placed the model. (This module is what
// notebooks import, compiled by the kernel too, which takes no relative `.ts` imports: the thread itself, which this
// section only knows as an InferenceSite, is model-thread.ts.)

/** Somewhere else a model's forward passes run (model-thread.ts's ModelThread, a worker thread with its own copy). */
export interface InferenceSite {
  run(model: tf.LayersModel, features: Float32Array, shape: readonly [number, number]): Promise<Float32Array[]>;
  detach(model: tf.LayersModel): void;
}

/** The site stopped (it crashed or was closed) before answering: the model runs here again. */
export class InferenceSiteGoneError extends Error {
  readonly code = "MODEL_THREAD";
  constructor(message: string) {
    super(message);
    this.name = "InferenceSiteGoneError";
  }
}

/** Where each placed model runs. */
const sites = new WeakMap<tf.LayersModel, InferenceSite>();
/** Models offered a site: the first `inferBatch` call moves them there (`move`); meanwhile they run here. */
const offers = new WeakMap<tf.LayersModel, { move: () => Promise<void>; taken: boolean }>();

/** Runs `model` on this thread, on a rows × columns batch, and reads back each output (the model thread runs it too). */
export function inferHere(
  model: tf.LayersModel,
  features: Float32Array,
  shape: readonly [number, number],
): Float32Array[] {
  const outputs = tf.tidy(() => {
    const result = infer(model, tf.tensor2d(features, [shape[0], shape[1]]));
    return Array.isArray(result) ? result : [result];
  });
  try {
    return outputs.map((output) => output.dataSync() as Float32Array);
  } finally {
    tf.dispose(outputs);
  }
}

/**
 * Runs `model` on `features`, a `shape[0]` × `shape[1]` batch written row after row, and resolves to each of its
 * outputs' values, row after row (one Float32Array per output head, in the order `predictOnBatch` returns them), with
 * `infer`'s answers; no tensor is left to dispose. The server runs the model on a thread of its own (serving.yml
 * `model_thread`), so that it reads requests and writes answers meanwhile; anywhere else it runs here.
 */
export async function inferBatch(
  model: tf.LayersModel,
  features: Float32Array,
  shape: readonly [number, number],
): Promise<Float32Array[]> {
  if (features.length !== shape[0] * shape[1]) {
    throw new InferenceInputError(
      `inferBatch got ${features.length} feature values for a ${shape[0]} × ${shape[1]} batch; write rows × columns values.`,
    );
  }
  const site = sites.get(model);
  if (site === undefined || shape[0] === 0) {
    takeOffer(model);
    return inferHere(model, features, shape);
  }
  try {
    return await site.run(model, features, shape);
  } catch (error) {
    if (!(error instanceof InferenceSiteGoneError)) throw error; // the site unplaced its models as it stopped
    return inferHere(model, features, shape);
  }
}

/** From now on `inferBatch(model, …)` runs at `site` (undefined: here). */
export function placeModel(model: tf.LayersModel, site: InferenceSite | undefined): void {
  if (site === undefined) sites.delete(model);
  else sites.set(model, site);
}

/** Whether `inferBatch(model, …)` runs at a site now rather than here. */
export function placedElsewhere(model: tf.LayersModel): boolean {
  return sites.has(model);
}

/**
 * Lets `model` move to a site on its first `inferBatch` call (`move` places it, e.g. by starting a thread and sending
 * it the weights): a model whose predict cell never awaits `inferBatch` costs no thread and no copy.
 */
export function offerSite(model: tf.LayersModel, move: () => Promise<void>): void {
  if (!sites.has(model) && !offers.has(model)) offers.set(model, { move, taken: false });
}

function takeOffer(model: tf.LayersModel): void {
  const offer = offers.get(model);
  if (offer === undefined || offer.taken) return;
  offer.taken = true;
  void offer
    .move()
    .then(() => {
      if (offers.get(model) === offer) return;
      sites.get(model)?.detach(model); // released while it moved
      sites.delete(model);
    })
    .catch((error: unknown) => {
      // Released while it moved (the server stopping, or a reload): its weights were freed under the move, which is
      // expected, and there is no main thread it "stays" on to tell about.
      if (offers.get(model) !== offer) return;
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`cellforge: the model stays on the main thread: ${reason}\n`);
    });
}

/** Withdraws `model`'s offer and frees its copy at its site, if any (a served version being disposed). */
export function releaseModel(model: tf.LayersModel): void {
  offers.delete(model);
  sites.get(model)?.detach(model);
  sites.delete(model);
}
