import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { definePipeline, type Pipeline, type PipelineNode } from "../../../runtime/pipeline/definition.ts";
import type { PipelineFilter } from "../../../runtime/pipeline/filter.ts";
import { ProgressReporter } from "../../../runtime/pipeline/progress.ts";
import { PipelineScheduler as Runner } from "../../../runtime/pipeline/scheduler.ts";
import { runSession } from "../../../runtime/session/run-session.ts";
import { SqliteNodeStateStore } from "../../../runtime/tracking/sqlite-node-state-store.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import { createProject } from "../fixture-project.ts";

let root: string;
let store: SqliteTrackingStore;
let states: SqliteNodeStateStore;
let calls: string[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-partial-"));
  mkdirSync(join(root, "data"));
  writeFileSync(join(root, "data/raw.json"), JSON.stringify([1, 2, 3, 4, 5, 6]));
  store = SqliteTrackingStore.open(join(root, ".cellforge/tracking.db"));
  states = new SqliteNodeStateStore(store.db);
  calls = [];
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

// raw (file) → split → splitSizes (file), trainSet, testSet (memory) → fit → model (file) → evaluate (with testSet) → score
function pipeline(): Pipeline {
  const node = (name: string, func: PipelineNode["func"], inputs: string[], outputs: string[]): PipelineNode => ({
    name,
    func: (...args: unknown[]) => {
      calls.push(name);
      return func(...args);
    },
    inputs,
    outputs,
    codeHash: `${name}-v1`,
  });
  return definePipeline({
    name: "partial",
    source: "partial.ipynb",
    nodes: [
      node(
        "split",
        (raw: number[], testSize: number) => ({
          trainSet: raw.slice(testSize),
          testSet: raw.slice(0, testSize),
          splitSizes: [raw.length - testSize, testSize],
        }),
        ["raw", "params:testSize"],
        ["trainSet", "testSet", "splitSizes"],
      ),
      node(
        "fit",
        (trainSet: number[]) => ({ model: { mean: trainSet.reduce((a, b) => a + b, 0) / trainSet.length } }),
        ["trainSet"],
        ["model"],
      ),
      node(
        "evaluate",
        (model: { mean: number }, testSet: number[]) => ({
          score: testSet.reduce((a, x) => a + Math.abs(x - model.mean), 0),
        }),
        ["model", "testSet"],
        ["score"],
      ),
    ],
    parameters: { defaults: { testSize: 2 }, schema: {} },
  });
}

async function run(filter: PipelineFilter = {}, options: { tracked?: boolean; lines?: string[] } = {}) {
  calls = [];
  const catalog = new Catalog(
    {
      raw: { type: "json", path: "data/raw.json" },
      model: { type: "json", path: "data/model.json" },
      splitSizes: { type: "json", path: "data/splitSizes.json" },
    },
    { root },
  );
  const p = pipeline();
  const hooks = options.lines === undefined ? [] : [new ProgressReporter((line) => options.lines!.push(line))];
  const result = await new Runner({
    catalog,
    params: p.parameters.defaults,
    filter,
    hooks,
    root,
    ...(options.tracked === false ? {} : { states }),
  }).run(p);
  return { statuses: Object.fromEntries(result.nodes.map((n) => [n.node, n.status])), free: result.freeOutputs };
}

describe("partial runs rebuild the in-memory inputs they need", () => {
  it("--nodes evaluate replays the node that produces its in-memory input, leaving that node's files as they are", async () => {
    await run();
    writeFileSync(join(root, "data/splitSizes.json"), JSON.stringify("kept"));
    const before = statSync(join(root, "data/splitSizes.json")).mtimeMs;
    // A new evaluate: change the model file so that evaluate's input changed.
    writeFileSync(join(root, "data/model.json"), JSON.stringify({ mean: 0 }));
    const lines: string[] = [];
    const { statuses, free } = await run({ nodeNames: ["evaluate"] }, { lines });
    expect(statuses).toEqual({ split: "replayed", evaluate: "ran" });
    expect(calls).toEqual(["split", "evaluate"]);
    expect(free).toEqual({ score: 3 });
    expect(readFileSync(join(root, "data/splitSizes.json"), "utf8")).toBe(JSON.stringify("kept"));
    expect(statSync(join(root, "data/splitSizes.json")).mtimeMs).toBe(before);
    expect(lines.join("\n")).toMatch(/split.*replayed/);
  });

  it("works without change tracking and for --from-nodes and --from-inputs", async () => {
    await run({}, { tracked: false });
    expect((await run({ nodeNames: ["evaluate"] }, { tracked: false })).statuses).toEqual({
      split: "replayed",
      evaluate: "ran",
    });
    expect((await run({ fromNodes: ["fit"] }, { tracked: false })).statuses).toEqual({
      split: "replayed",
      fit: "ran",
      evaluate: "ran",
    });
    expect((await run({ fromInputs: ["trainSet"] }, { tracked: false })).statuses).toEqual({
      split: "replayed",
      fit: "ran",
      evaluate: "ran",
    });
  });

  it("replays nothing when the selected nodes are unchanged and skipped", async () => {
    await run();
    expect((await run({ nodeNames: ["evaluate"] })).statuses).toEqual({ evaluate: "skipped" });
    expect(calls).toEqual([]);
  });
});

describe("a partial run of a pipeline with a predict cell", () => {
  it("replays what it needs and still registers no model", async () => {
    process.env["CELLFORGE_TF_BACKEND"] = "wasm";
    const project = createProject(["train"]);
    try {
      const quiet = { cwd: project.root, pipeline: "train", write: () => undefined };
      const full = await runSession(quiet);
      expect(full.model?.version.version).toBe(1);
      const partial = await runSession({ ...quiet, filter: { nodeNames: ["evaluate"] }, force: true });
      expect(partial.result.nodes.map((n) => [n.node, n.status])).toEqual([
        ["split", "replayed"],
        ["evaluate", "ran"],
      ]);
      expect(partial.run.metrics["accuracy"]).toBeGreaterThan(0);
      expect(partial.model).toBeUndefined();
      expect(partial.registrationSkipped).toContain("a partial run");
    } finally {
      project.remove();
    }
  }, 120_000);
});
