import { describe, expect, it } from "vitest";
import {
  parseRunFilter,
  readRunFilter,
  RunFilterError,
  unknownFilterNames,
} from "../../../runtime/tracking/run-filter.ts";
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

  it("explains what it cannot read, pointing at the column with a caret", () => {
    expect(() => parseRunFilter("accuracy > 0.3")).toThrow(
      /Cannot read the filter `accuracy > 0.3` at column 1: `accuracy` is not a field/,
    );
    const error = (() => {
      try {
        parseRunFilter("metrics.accuracy > 0.3 and params.epochs 50");
      } catch (caught) {
        return caught as RunFilterError;
      }
      throw new Error("no error");
    })();
    expect(error).toBeInstanceOf(RunFilterError);
    expect(error.message).toContain("at column 42: expected an operator");
    expect(error.message).toContain(`\n  metrics.accuracy > 0.3 and params.epochs 50\n  ${" ".repeat(41)}^\n`);
    expect(() => parseRunFilter("(metrics.a > 1")).toThrow(/at column 15: expected `\)`/);
    expect(() => parseRunFilter("tags.x = 'open")).toThrow(/at column 10: the quote ' is never closed/);
    expect(() => parseRunFilter("metrics.a LIKE 'x%'")).toThrow(/metrics compare with numbers/);
    expect(() => parseRunFilter("statu = FINISHED")).toThrow(/did you mean `status`/);
  });

  it("keeps `and` and `or` inside quoted values, and reads backticked names", () => {
    const quoted = run({}, {}, "FINISHED");
    quoted.tags = { x: "a and b", y: "this or that", "my tag": "v" };
    quoted.metrics = { "my metric": 2, "val.loss": 1 };
    expect(parseRunFilter('tags.x = "a and b"')(quoted)).toBe(true);
    expect(parseRunFilter("tags.y = 'this or that' and tags.x != 'a'")(quoted)).toBe(true);
    expect(parseRunFilter("metrics.`my metric` > 1 and tags.`my tag` = 'v'")(quoted)).toBe(true);
    expect(parseRunFilter("metrics.`val.loss` = 1")(quoted)).toBe(true);
    expect(parseRunFilter("metrics.`my metric` > 2")(quoted)).toBe(false);
  });

  it("joins with OR and parentheses, AND binding tighter, keywords and status values in any case", () => {
    const matches = (filter: string) => [a, b, c].map(parseRunFilter(filter));
    expect(matches("metrics.accuracy > 0.3 or status = FAILED")).toEqual([true, false, true]);
    expect(matches("params.epochs = 10 OR params.optimizer = 'sgd' and metrics.accuracy < 0.3")).toEqual([
      false,
      true,
      true,
    ]);
    expect(matches("(params.epochs = 10 or params.optimizer = 'sgd') AND metrics.accuracy < 0.3")).toEqual([
      false,
      true,
      false,
    ]);
    expect(matches("Status = Failed")).toEqual([false, false, true]);
    expect(matches("attributes.status in ('failed', 'killed')")).toEqual([false, false, true]);
    expect(matches("STATUS Not In ('finished')")).toEqual([false, false, true]);
    expect(readRunFilter("metrics.a > 1 OR (tags.b = 'c' and params.d != 2)")).toMatchObject({
      kind: "or",
      items: [
        { kind: "comparison", scope: "metrics", key: "a", operator: ">", value: 1 },
        {
          kind: "and",
          items: [
            { scope: "tags", key: "b" },
            { scope: "params", key: "d", operator: "!=" },
          ],
        },
      ],
    });
  });

  it("matches LIKE (case-sensitive) and ILIKE patterns, IN and NOT IN lists, run ids and start times", () => {
    const matches = (filter: string) => [a, b, c].map(parseRunFilter(filter));
    expect(matches("params.optimizer LIKE 'ad%'")).toEqual([true, false, false]);
    expect(matches("params.optimizer LIKE 'AD%'")).toEqual([false, false, false]);
    expect(matches("params.optimizer ILIKE 'AD%'")).toEqual([true, false, false]);
    expect(matches("params.optimizer like '_gd'")).toEqual([false, true, false]);
    expect(matches("params.epochs IN (10, 20)")).toEqual([false, false, true]);
    expect(matches("params.optimizer NOT IN ('adam', \"sgd\")")).toEqual([false, false, true]);
    expect(matches("run_id = 'x' and attributes.start_time >= 0 and pipeline like 'tr%'")).toEqual([true, true, true]);
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
