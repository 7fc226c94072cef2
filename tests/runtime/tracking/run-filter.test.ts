import { describe, expect, it } from "vitest";
import { parseRunFilter, unknownFilterNames } from "../../../runtime/tracking/run-filter.ts";
import type { RunInfo } from "../../../runtime/tracking/store.ts";

const run = (
  metrics: Record<string, number>,
  params: Record<string, unknown>,
  status: RunInfo["status"] = "FINISHED",
): RunInfo => ({
  id: "x",
  experiment: "e",
  pipeline: "train",
  status,
  startTime: 0,
  endTime: 1,
  gitCommit: undefined,
  gitDirty: undefined,
  params,
  tags: { team: "dex" },
  error: undefined,
  metrics,
});

describe("run filters (MLflow search syntax)", () => {
  const a = run({ accuracy: 0.35 }, { epochs: 50, optimizer: "adam", model: { units: 64 } });
  const b = run({ accuracy: 0.25 }, { epochs: 50, optimizer: "sgd" });
  const c = run({}, { epochs: 10 }, "FAILED");

  it("compares metrics and parameters numerically, strings exactly, and joins clauses with and", () => {
    const matches = (filter: string) => [a, b, c].map(parseRunFilter(filter));
    expect(matches("metrics.accuracy > 0.3 and params.epochs = 50")).toEqual([true, false, false]);
    expect(matches("params.optimizer = 'sgd'")).toEqual([false, true, false]);
    expect(matches('params.optimizer != "sgd"')).toEqual([true, false, true]);
    expect(matches("metrics.accuracy <= 0.25")).toEqual([false, true, false]);
    expect(matches("status = failed")).toEqual([false, false, true]);
    expect(matches("params.model.units >= 64 AND tags.team = dex")).toEqual([true, false, false]);
    expect(matches("attributes.status = FINISHED and pipeline = train")).toEqual([true, true, false]);
  });

  it("explains what it cannot read", () => {
    expect(() => parseRunFilter("accuracy > 0.3")).toThrow(
      /Cannot read the filter `accuracy > 0.3`: `accuracy > 0.3` is not FIELD OP VALUE/,
    );
    expect(() => parseRunFilter("metrics.a > 1 or metrics.b > 1")).toThrow(/only `and` is supported/);
  });

  it("warns about a metric or parameter no run has, with the closest name and the names there are", () => {
    const runs = [
      run({ typeAccuracy: 0.6, loss: 1 }, { epochs: 50 }),
      run({ typeAccuracy: 0.7 }, { epochs: 10, model: { units: 64 } }),
    ];
    expect(
      unknownFilterNames(
        "metrics.typeAcc > 0.6 and params.epoch = 50 and params.model.units = 64 and status = FINISHED",
        runs,
      ),
    ).toEqual([
      "No run has a metric `typeAcc`, so `metrics.typeAcc` matches nothing. Metrics: loss, typeAccuracy.",
      "No run has a parameter `epoch` (did you mean `epochs`?), so `params.epoch` matches nothing. Parameters: epochs, model.",
    ]);
    expect(unknownFilterNames("metrics.typeAcuracy > 0.6", runs)[0]).toContain("(did you mean `typeAccuracy`?)");
    expect(unknownFilterNames("metrics.loss > 0 and params.epochs > 1", runs)).toEqual([]);
  });
});
