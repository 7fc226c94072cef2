// The runs table's metric columns: the notebook's own metrics first, whether it logs numbers or a record of them.
import { describe, expect, it } from "vitest";
import { runsPage } from "../../../runtime/ui/pages/runs.ts";
import type { RunInfo } from "../../../runtime/tracking/store.ts";

function run(id: string, pipeline: string, metrics: Record<string, number>): RunInfo {
  return {
    id,
    experiment: "default",
    pipeline,
    status: "FINISHED",
    startTime: 1_700_000_000_000,
    endTime: 1_700_000_001_000,
    gitCommit: undefined,
    gitDirty: undefined,
    params: {},
    tags: {},
    error: undefined,
    metrics,
  };
}

/** The metric column headers of the runs page for `runs` of one pipeline whose notebook declares `declared`. */
function columns(runs: RunInfo[], declared: string[]): string[] {
  const page = String(
    runsPage({
      runs,
      total: runs.length,
      filter: "",
      filterError: undefined,
      sort: { key: "started", order: "desc" },
      versionsByRun: new Map(),
      pipeline: runs[0]!.pipeline,
      pipelines: [{ name: runs[0]!.pipeline, runs: runs.length }],
      metricOrder: declared,
    }),
  );
  return [...new Set([...page.matchAll(/data-col="metrics\.([^"]+)"/g)].map((m) => m[1]!))];
}

describe("the runs table's metric columns", () => {
  it("shows a notebook's metrics record (`const metrics = { accuracy, loss }`) first, beside TF.js's per-epoch acc", () => {
    const runs = [run("r1", "tiers", { acc: 0.8, loss: 1.2, "metrics.accuracy": 0.81, "metrics.loss": 1.18 })];
    expect(columns(runs, ["metrics"])).toEqual(["metrics.accuracy", "metrics.loss", "acc", "loss"]);
  });

  it("leaves per-epoch series records (history.loss) to the run page when the notebook declares numbers", () => {
    const runs = [run("r1", "train", { typeAccuracy: 0.66, legendaryF1: 0.9, "history.loss": 0.4, speed: 1 })];
    expect(columns(runs, ["typeAccuracy", "legendaryF1", "history"])).toEqual(["typeAccuracy", "legendaryF1", "speed"]);
  });
});
