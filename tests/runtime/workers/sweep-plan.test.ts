/** `cellforge sweep`'s configurations: grids, --random draws from the grid or from ranges, reproducible under a seed. */
import { describe, expect, it } from "vitest";
import {
  defaultSweepMetric,
  gridConfigurations,
  higherIsBetter,
  parseGridOption,
  randomConfigurations,
  SweepPlanError,
} from "../../../runtime/workers/sweep-plan.ts";

describe("sweep plan", () => {
  it("a grid of listed values gives every combination, and --random N draws N distinct ones", () => {
    const axes = [parseGridOption("learningRate=0.001,0.003"), parseGridOption("hiddenUnits=64,128")];
    expect(gridConfigurations(axes)).toEqual([
      { learningRate: 0.001, hiddenUnits: 64 },
      { learningRate: 0.001, hiddenUnits: 128 },
      { learningRate: 0.003, hiddenUnits: 64 },
      { learningRate: 0.003, hiddenUnits: 128 },
    ]);
    const drawn = randomConfigurations(axes, 3, "7");
    expect(new Set(drawn.map((c) => JSON.stringify(c))).size).toBe(3);
  });

  it("ranges are drawn within their bounds: :log on a log scale, :int as whole numbers, the same again under the same seed", () => {
    const axes = [
      parseGridOption("learningRate=0.0005..0.01:log"),
      parseGridOption("hiddenUnits=32..256:int"),
      parseGridOption("dropoutRate=0.1..0.5"),
      parseGridOption("batchSize=16,32"),
    ];
    const drawn = randomConfigurations(axes, 200, "42");
    expect(drawn).toHaveLength(200);
    for (const c of drawn) {
      expect(c["learningRate"]).toBeGreaterThanOrEqual(0.0005);
      expect(c["learningRate"]).toBeLessThanOrEqual(0.01);
      expect(Number.isInteger(c["hiddenUnits"])).toBe(true);
      expect(c["hiddenUnits"]).toBeGreaterThanOrEqual(32);
      expect(c["hiddenUnits"]).toBeLessThanOrEqual(256);
      expect(c["dropoutRate"]).toBeGreaterThanOrEqual(0.1);
      expect(c["dropoutRate"]).toBeLessThanOrEqual(0.5);
      expect([16, 32]).toContain(c["batchSize"]);
    }
    // On a log scale about half the rates fall below the geometric middle (~0.0022), far fewer on a linear one.
    const low = drawn.filter((c) => (c["learningRate"] as number) < Math.sqrt(0.0005 * 0.01)).length;
    expect(low).toBeGreaterThan(70);
    expect(low).toBeLessThan(130);
    // Values are drawn, not only the ends.
    expect(new Set(drawn.map((c) => c["hiddenUnits"])).size).toBeGreaterThan(50);
    expect(randomConfigurations(axes, 200, "42")).toEqual(drawn);
    expect(randomConfigurations(axes, 200, "43")).not.toEqual(drawn);
  });

  it("a bad range or a range without --random is a clear error", () => {
    expect(() => parseGridOption("learningRate=0.01..0.001")).toThrow(/low\.\.high with low below high/);
    expect(() => parseGridOption("learningRate=0..0.01:log")).toThrow(/:log range must be above 0/);
    expect(() => parseGridOption("hiddenUnits=32.5..256:int")).toThrow(/whole-number ends/);
    expect(() => gridConfigurations([parseGridOption("hiddenUnits=32..256:int")])).toThrow(SweepPlanError);
    expect(() => gridConfigurations([parseGridOption("hiddenUnits=32..256:int")])).toThrow(/add --random N/);
  });

  it("tells from a metric's name whether higher is better, and ranks by the metric the pipeline declares first", () => {
    for (const name of ["typeAccuracy", "legendaryF1", "legendaryRocAuc", "val_acc", "r2", "precision", "recall"])
      expect(higherIsBetter(name), name).toBe(true);
    for (const name of ["testLoss", "history.loss", "val_error", "rmse", "brierScore", "typeMajorityBaseline"])
      expect(higherIsBetter(name), name).toBe(false);
    const logged = ["history.loss", "legendaryF1", "typeAccuracy", "typeMajorityBaseline"];
    expect(defaultSweepMetric(["typeAccuracy", "typeMacroF1"], logged)).toBe("typeAccuracy");
    expect(defaultSweepMetric(["notLogged"], logged)).toBe("legendaryF1");
    expect(defaultSweepMetric([], ["history.loss"])).toBe("history.loss");
    expect(defaultSweepMetric([], [])).toBeUndefined();
    // A metrics cell's record (`const metrics = { accuracy, loss }`), logged as `metrics.accuracy`…, beside TF.js's
    // own per-epoch `acc` and `loss`: the notebook's metric, not the first name in the alphabet.
    expect(defaultSweepMetric(["metrics"], ["acc", "loss", "metrics.accuracy", "metrics.loss"])).toBe(
      "metrics.accuracy",
    );
  });
});
