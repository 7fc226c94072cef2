// TF.js memory around predict calls: tensors a synchronous predict forgets to release are released; an async one keeps its own.
import { describe, expect, it } from "vitest";
import type { ModelVersion } from "../../../runtime/registry/registry-store.ts";
import { ServedModel } from "../../../runtime/serve/served-model.ts";
import { tf, useFastestBackend } from "../../../runtime/tfjs/backend.ts";

const version: ModelVersion = {
  name: "leaky",
  version: 1,
  createdAt: 0,
  runId: undefined,
  inputSchema: {},
  outputSchema: {},
  metrics: {},
  trainingDataDigest: undefined,
  inputs: [],
  artifacts: [],
  aliases: [],
};

describe("ServedModel", () => {
  it("releases the tensors a synchronous predict function makes and does not keep", async () => {
    await useFastestBackend();
    const weights = tf.keep(tf.tensor2d([[2], [3]]));
    // No tf.tidy, as a notebook author might write it.
    const model = new ServedModel(
      version,
      (rows) => Array.from(tf.matMul(tf.tensor2d(rows as number[][]), weights).dataSync()),
      { weights },
      "test",
    );
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++)
      expect(
        await model.predict([
          [1, 1],
          [2, 0],
        ]),
      ).toEqual([5, 4]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(weights.isDisposed).toBe(true);
  });

  it("leaves an async predict function's tensors to it", async () => {
    await useFastestBackend();
    const model = new ServedModel(
      version,
      async (rows) => {
        const input = tf.tensor1d(rows as number[]);
        await new Promise((resolve) => setTimeout(resolve, 1));
        const doubled = input.mul(2);
        const values = Array.from(await doubled.data());
        tf.dispose([input, doubled]);
        return values;
      },
      {},
      "test",
    );
    const before = tf.memory().numTensors;
    expect(await model.predict([1, 2, 3])).toEqual([2, 4, 6]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
