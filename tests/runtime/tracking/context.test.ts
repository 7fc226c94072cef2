import { afterEach, describe, expect, it, vi } from "vitest";
import { log, logMetric, withRunScope, type RunScope } from "../../../runtime/tracking/context.ts";
import { captureTrainingMetrics } from "../../../runtime/tracking/tfjs-epochs.ts";
import { tf, useFastestBackend } from "../../../runtime/tfjs/backend.ts";

function recordingScope(): RunScope & {
  metrics: [string, number, number | undefined][];
  logs: string[];
  lines: string[];
} {
  const metrics: [string, number, number | undefined][] = [];
  const logs: string[] = [];
  const lines: string[] = [];
  return {
    runId: "run",
    node: "train",
    metrics,
    logs,
    lines,
    logMetric: (name, value, step) => void metrics.push([name, value, step]),
    log: (level, message) => void logs.push(`${level}: ${message}`),
    progress: (message) => void lines.push(message),
  };
}

afterEach(() => vi.restoreAllMocks());

describe("the tracking context", () => {
  it("prints when no run is active, so notebook cells work unchanged", () => {
    const out = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const err = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    log.info("hello");
    log.warn("careful");
    logMetric("accuracy", 0.5);
    logMetric("loss", 0.25, 3);
    expect(out.mock.calls).toEqual([["hello"], ["accuracy = 0.5"], ["loss = 0.25 (step 3)"]]);
    expect(err.mock.calls).toEqual([["careful"]]);
  });

  it("goes to the active run's scope, across awaits", async () => {
    const scope = recordingScope();
    await withRunScope(scope, async () => {
      log.info("start");
      await new Promise((resolve) => setTimeout(resolve, 5));
      logMetric("accuracy", 0.9);
      log.warn("done");
    });
    expect(scope.metrics).toEqual([["accuracy", 0.9, undefined]]);
    expect(scope.logs).toEqual(["info: start", "warn: done"]);
  });

  it("captures every model.fit's epoch metrics (step = epoch) without callbacks in the model code", async () => {
    await useFastestBackend();
    captureTrainingMetrics();
    captureTrainingMetrics(); // idempotent
    const model = tf.sequential();
    model.add(
      tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
    );
    model.compile({ optimizer: tf.train.sgd(0.05), loss: "meanSquaredError", metrics: ["mse"] });
    const xs = tf.tensor2d([[0], [1], [2], [3], [4]]);
    const ys = tf.tensor2d([[1], [3], [5], [7], [9]]);
    const scope = recordingScope();
    const before = tf.memory().numTensors;
    const history = await withRunScope(scope, () =>
      model.fit(xs, ys, { epochs: 4, verbose: 0, validationSplit: 0.2, shuffle: false }),
    );
    expect(tf.memory().numTensors).toBe(before);
    const losses = scope.metrics.filter(([name]) => name === "loss");
    expect(losses.map(([, , step]) => step)).toEqual([0, 1, 2, 3]);
    expect(losses.map(([, value]) => value)).toEqual(history.history["loss"]);
    expect(new Set(scope.metrics.map(([name]) => name))).toEqual(new Set(["loss", "mse", "val_loss", "val_mse"]));
    expect(scope.lines).toHaveLength(4);
    expect(scope.lines[0]).toMatch(
      /^epoch 1\/4 {2}loss \d+\.\d{4} {2}mse \d+\.\d{4} {2}val_loss \S+ {2}val_mse \S+ {2}\d+ ms$/,
    );
    // Outside a run, fit works as before and nothing is recorded.
    await model.fit(xs, ys, { epochs: 1, verbose: 0 });
    expect(scope.metrics).toHaveLength(16);

    // A notebook that fits epoch by epoch in its own loop: steps continue across the node's fits.
    for (let i = 0; i < 3; i++) await withRunScope(scope, () => model.fit(xs, ys, { epochs: 1, verbose: 0 }));
    expect(scope.metrics.filter(([name]) => name === "loss").map(([, , step]) => step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(scope.lines.slice(4)).toEqual([
      expect.stringMatching(/^epoch 5 {2}loss/),
      expect.stringMatching(/^epoch 6 /),
      expect.stringMatching(/^epoch 7 /),
    ]);
    // Another node (scope) starts at step 0 again.
    const other = recordingScope();
    await withRunScope(other, () => model.fit(xs, ys, { epochs: 1, verbose: 0 }));
    expect(other.metrics.map(([, , step]) => step)).toEqual([0, 0]);
    tf.dispose([xs, ys]);
  });
});
