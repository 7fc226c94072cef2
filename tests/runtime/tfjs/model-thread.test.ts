import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { tf, useFastestBackend } from "../../../runtime/tfjs/backend.ts";
import { inferBatch, offerSite, placedElsewhere, releaseModel } from "../../../runtime/tfjs/inference.ts";
import { ModelThread } from "../../../runtime/tfjs/model-thread.ts";

const seeded = (seed: number) => tf.initializers.glorotUniform({ seed });

/** A small two-head classifier (softmax over 4 classes, one sigmoid) on 6 inputs. */
function twoHeadModel(): tf.LayersModel {
  const input = tf.input({ shape: [6] });
  const hidden = tf.layers
    .dense({ units: 10, activation: "relu", kernelInitializer: seeded(1), biasInitializer: "randomNormal" })
    .apply(input) as tf.SymbolicTensor;
  const kind = tf.layers
    .dense({ units: 4, activation: "softmax", kernelInitializer: seeded(2) })
    .apply(hidden) as tf.SymbolicTensor;
  const flag = tf.layers
    .dense({ units: 1, activation: "sigmoid", kernelInitializer: seeded(3) })
    .apply(hidden) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: [kind, flag] });
}

function features(rows: number, width: number): Float32Array {
  return Float32Array.from({ length: rows * width }, (_, i) => Math.sin(i * 0.7) * 2);
}

let thread: ModelThread;

beforeAll(async () => {
  await useFastestBackend();
  thread = await ModelThread.start();
}, 60_000);

afterAll(async () => {
  await thread.close();
});

describe("inferBatch", () => {
  it("gives each output head's values row after row, with predictOnBatch's answers, when no thread is attached", async () => {
    const model = twoHeadModel();
    const x = features(3, 6);
    const [kind, flag] = await inferBatch(model, x, [3, 6]);
    const expected = tf.tidy(() =>
      (model.predictOnBatch(tf.tensor2d(x, [3, 6])) as tf.Tensor[]).map((t) => t.dataSync() as Float32Array),
    );
    expect(kind).toEqual(expected[0]);
    expect(flag).toEqual(expected[1]);
    expect(kind).toHaveLength(12);
    model.dispose();
  });

  it("refuses features that do not fill the shape, saying what to write", async () => {
    const model = twoHeadModel();
    await expect(inferBatch(model, new Float32Array(10), [2, 6])).rejects.toThrow(
      /10 feature values for a 2 × 6 batch/,
    );
    model.dispose();
  });

  it("runs an attached model on the thread with the same answers bit for bit, including from a slice of a larger array", async () => {
    const model = twoHeadModel();
    const x = features(200, 6);
    const here = await inferBatch(model, x, [200, 6]);
    await thread.attach(model);
    const there = await inferBatch(model, x, [200, 6]);
    expect(there).toEqual(here);
    const slice = await inferBatch(model, x.subarray(6 * 50, 6 * 60), [10, 6]);
    expect(slice[0]).toEqual(here[0]!.subarray(4 * 50, 4 * 60));
    // Calls in flight together answer in order, each with its own rows.
    const calls = await Promise.all([0, 1, 2, 3].map((k) => inferBatch(model, x.slice(6 * k, 6 * (k + 1)), [1, 6])));
    calls.forEach(([, flag], k) => expect(flag![0]).toBe(here[1]![k]));
    thread.detach(model);
    expect(placedElsewhere(model)).toBe(false);
    expect(await inferBatch(model, x, [200, 6])).toEqual(here);
    model.dispose();
  });

  it("moves an offered model to the thread on its first inferBatch call, which runs here meanwhile; released, it runs here again", async () => {
    const model = twoHeadModel();
    const x = features(7, 6);
    let moves = 0;
    offerSite(model, async () => {
      moves++;
      await thread.attach(model);
    });
    expect(placedElsewhere(model)).toBe(false);
    const first = await inferBatch(model, x, [7, 6]);
    await vi.waitFor(() => expect(placedElsewhere(model)).toBe(true));
    expect(await inferBatch(model, x, [7, 6])).toEqual(first);
    expect(moves).toBe(1);
    releaseModel(model);
    expect(placedElsewhere(model)).toBe(false);
    expect(await inferBatch(model, x, [7, 6])).toEqual(first);
    expect(moves).toBe(1);
    model.dispose();
  });

  it("says the model stays on this thread when its move fails, and says nothing when it was released during the move", async () => {
    const written = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const x = features(3, 6);
      const failing = twoHeadModel();
      offerSite(failing, () => Promise.reject(new Error("no thread today")));
      await inferBatch(failing, x, [3, 6]);
      await vi.waitFor(() =>
        expect(written).toHaveBeenCalledWith("cellforge: the model stays on the main thread: no thread today\n"),
      );
      written.mockClear();
      // A server stopping while the model moves: the model is released and disposed under the move, which then fails.
      const stopping = twoHeadModel();
      let failMove: (error: Error) => void = () => undefined;
      offerSite(stopping, () => new Promise((_, reject) => (failMove = reject)));
      await inferBatch(stopping, x, [3, 6]);
      releaseModel(stopping);
      stopping.dispose();
      failMove(new Error("LayersVariable dense/kernel is already disposed."));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(written).not.toHaveBeenCalled();
      failing.dispose();
    } finally {
      written.mockRestore();
    }
  });

  it("falls back to this thread when the model thread is gone, and attaching to a closed thread is refused", async () => {
    const own = await ModelThread.start();
    const model = twoHeadModel();
    const x = features(5, 6);
    const here = await inferBatch(model, x, [5, 6]);
    await own.attach(model);
    await own.close();
    expect(await inferBatch(model, x, [5, 6])).toEqual(here);
    await expect(own.attach(model)).rejects.toThrow(/model thread was closed/);
    model.dispose();
  }, 60_000);
});
