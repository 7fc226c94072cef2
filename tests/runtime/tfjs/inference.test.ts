import { beforeAll, describe, expect, it } from "vitest";
import { tf, useFastestBackend } from "../../../runtime/tfjs/backend.ts";
import { infer, InferenceInputError, inferencePlan } from "../../../runtime/tfjs/inference.ts";

const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });

/** The shape of the Pokémon classifier: two dense layers with dropout, a softmax head and a sigmoid head. */
function twoHeadModel(): tf.LayersModel {
  const input = tf.input({ shape: [12] });
  let hidden = tf.layers
    .dense({ units: 16, activation: "relu", kernelInitializer: seeded(1), biasInitializer: "randomNormal" })
    .apply(input) as tf.SymbolicTensor;
  hidden = tf.layers.dropout({ rate: 0.3, seed: 2 }).apply(hidden) as tf.SymbolicTensor;
  hidden = tf.layers
    .dense({ units: 8, activation: "relu", kernelInitializer: seeded(3), biasInitializer: "randomNormal" })
    .apply(hidden) as tf.SymbolicTensor;
  hidden = tf.layers.dropout({ rate: 0.3, seed: 4 }).apply(hidden) as tf.SymbolicTensor;
  const type = tf.layers
    .dense({ units: 5, activation: "softmax", kernelInitializer: seeded(5), biasInitializer: "randomNormal" })
    .apply(hidden) as tf.SymbolicTensor;
  const legendary = tf.layers
    .dense({ units: 1, activation: "sigmoid", kernelInitializer: seeded(6), biasInitializer: "randomNormal" })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [type, legendary] });
}

function batch(rows: number, width: number, seed: number): tf.Tensor2D {
  return tf.randomUniform([rows, width], -2, 2, "float32", seed);
}

/** Both ways' outputs as plain arrays, tensors released. */
function bothWays(
  model: tf.LayersModel,
  x: tf.Tensor | tf.Tensor[],
): { expected: Float32Array[]; actual: Float32Array[] } {
  const read = (output: tf.Tensor | tf.Tensor[]) =>
    (Array.isArray(output) ? output : [output]).map((t) => t.dataSync() as Float32Array);
  return {
    expected: tf.tidy(() => read(model.predictOnBatch(x))),
    actual: tf.tidy(() => read(infer(model, x))),
  };
}

beforeAll(async () => {
  await useFastestBackend();
});

describe("infer", () => {
  it("runs a dense classifier with dropout and two heads as planned kernels, with predictOnBatch's answers bit for bit", () => {
    const model = twoHeadModel();
    expect(inferencePlan(model)).toMatchObject({ direct: true });
    for (const rows of [1, 5, 64]) {
      const x = batch(rows, 12, rows);
      const { expected, actual } = bothWays(model, x);
      expect(actual.map((a) => a.length)).toEqual([rows * 5, rows]);
      expect(actual).toEqual(expected);
      x.dispose();
    }
    model.dispose();
  });

  it("returns one tensor for a one-output model, as predictOnBatch does, and handles every activation and a dense layer without bias", () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [6], units: 10, useBias: false, kernelInitializer: seeded(7) }));
    for (const activation of ["tanh", "selu", "softplus", "relu6", "elu", "linear"] as const) {
      model.add(tf.layers.activation({ activation }));
      model.add(
        tf.layers.dense({ units: 10, activation, kernelInitializer: seeded(8), biasInitializer: "randomNormal" }),
      );
    }
    model.add(tf.layers.gaussianNoise({ stddev: 1 }));
    model.add(tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: seeded(9) }));
    expect(inferencePlan(model)).toMatchObject({ direct: true });
    const x = batch(9, 6, 1);
    const single = tf.tidy(() => infer(model, x));
    expect(single).toBeInstanceOf(tf.Tensor);
    expect((single as tf.Tensor).shape).toEqual([9, 3]);
    const { expected, actual } = bothWays(model, x);
    expect(actual).toEqual(expected);
    tf.dispose([x, single]);
    model.dispose();
  });

  it("runs an ensemble averaged by Average layers, and a wide path joined by an Add layer, with predictOnBatch's answers bit for bit", () => {
    const input = tf.input({ shape: [12] });
    const member = (seed: number) => {
      const hidden = tf.layers
        .dense({ units: 8, activation: "relu", kernelInitializer: seeded(seed), biasInitializer: "randomNormal" })
        .apply(input) as tf.SymbolicTensor;
      const logits = tf.layers
        .add()
        .apply([
          tf.layers.dense({ units: 5, kernelInitializer: seeded(seed + 1) }).apply(hidden) as tf.SymbolicTensor,
          tf.layers.dense({ units: 5, kernelInitializer: seeded(seed + 2) }).apply(input) as tf.SymbolicTensor,
        ]) as tf.SymbolicTensor;
      const type = tf.layers.activation({ activation: "softmax" }).apply(logits) as tf.SymbolicTensor;
      const legendary = tf.layers
        .dense({ units: 1, activation: "sigmoid", kernelInitializer: seeded(seed + 3) })
        .apply(hidden) as tf.SymbolicTensor;
      return [type, legendary] as const;
    };
    const members = [member(20), member(30), member(40)];
    const model = tf.model({
      inputs: input,
      outputs: [
        tf.layers.average({ name: "type" }).apply(members.map(([type]) => type)) as tf.SymbolicTensor,
        tf.layers.average({ name: "legendary" }).apply(members.map(([, legendary]) => legendary)) as tf.SymbolicTensor,
      ],
    });
    expect(inferencePlan(model)).toMatchObject({ direct: true });
    for (const rows of [1, 7]) {
      const x = batch(rows, 12, rows + 20);
      const { expected, actual } = bothWays(model, x);
      expect(actual.map((a) => a.length)).toEqual([rows * 5, rows]);
      expect(actual).toEqual(expected);
      x.dispose();
    }
    model.dispose();
  });

  it("falls back to predictOnBatch for a layer it does not plan, naming that layer, with the same answers", () => {
    const left = tf.input({ shape: [3] });
    const right = tf.input({ shape: [2] });
    const joined = tf.layers.concatenate({ name: "joined" }).apply([left, right]) as tf.SymbolicTensor;
    const normalised = tf.layers.batchNormalization({ name: "normalised" }).apply(joined) as tf.SymbolicTensor;
    const output = tf.layers
      .dense({ units: 2, activation: "softmax", kernelInitializer: seeded(10) })
      .apply(normalised) as tf.SymbolicTensor;
    const model = tf.model({ inputs: [left, right], outputs: output });
    const plan = inferencePlan(model);
    expect(plan.direct).toBe(false);
    expect(plan.reason).toBe('layer "joined" (Concatenate) has 2 inputs');
    const inputs = [batch(4, 3, 1), batch(4, 2, 2)];
    const { expected, actual } = bothWays(model, inputs);
    expect(actual).toEqual(expected);
    tf.dispose(inputs);
    model.dispose();
  });

  it("reads the weights at each call, so a model trained further answers with its new weights", async () => {
    const model = twoHeadModel();
    const x = batch(3, 12, 11);
    const before = tf.tidy(() => (infer(model, x) as tf.Tensor[])[0]!.dataSync());
    model.compile({ optimizer: tf.train.sgd(0.5), loss: ["categoricalCrossentropy", "binaryCrossentropy"] });
    const [types, legendary] = [tf.oneHot(tf.tensor1d([0, 1, 2], "int32"), 5), tf.ones([3, 1])];
    await model.fit(x, [types, legendary], { epochs: 3, verbose: 0 });
    const { expected, actual } = bothWays(model, x);
    expect(actual).toEqual(expected);
    expect(actual[0]).not.toEqual(before);
    tf.dispose([x, types, legendary]);
    model.dispose();
  });

  it("leaves no tensor behind inside tf.tidy, and is planned once per model", () => {
    const model = twoHeadModel();
    const x = batch(8, 12, 3);
    tf.dispose(tf.tidy(() => infer(model, x)));
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) tf.dispose(tf.tidy(() => infer(model, x)));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(inferencePlan(model)).toBe(inferencePlan(model));
    x.dispose();
    model.dispose();
  });

  it("refuses a batch of the wrong width with the shape the model takes", () => {
    const model = twoHeadModel();
    const x = batch(2, 11, 1);
    expect(() => tf.tidy(() => infer(model, x))).toThrow(InferenceInputError);
    expect(() => tf.tidy(() => infer(model, x))).toThrow(/has shape \[null, 12\]; infer got \[2, 11\]/);
    expect(() => tf.tidy(() => infer(model, [x, x]))).toThrow(/takes 1 input tensor\(s\); infer got 2/);
    x.dispose();
    model.dispose();
  });
});
