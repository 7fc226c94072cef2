import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { definePipeline, type Pipeline, type PipelineNode } from "../../../runtime/pipeline/definition.ts";
import { PipelineScheduler as Runner } from "../../../runtime/pipeline/scheduler.ts";
import { SqliteNodeStateStore } from "../../../runtime/tracking/sqlite-node-state-store.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";

let root: string;
let store: SqliteTrackingStore;
let states: SqliteNodeStateStore;
let calls: string[];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-skip-"));
  mkdirSync(join(root, "data"));
  writeFileSync(join(root, "data/raw.json"), JSON.stringify([1, 2, 3, 4]));
  store = SqliteTrackingStore.open(join(root, ".cellforge/tracking.db"));
  states = new SqliteNodeStateStore(store.db);
  calls = [];
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

// raw (file) → scale (params.factor) → scaled (memory) → total (params.offset) → sum (file) → score (metric)
function pipeline(codeHashes: Record<string, string> = {}): Pipeline {
  const node = (
    name: string,
    func: PipelineNode["func"],
    inputs: string[],
    outputs: string[],
    metrics?: string[],
  ): PipelineNode => ({
    name,
    func: (...args: unknown[]) => {
      calls.push(name);
      return func(...args);
    },
    inputs,
    outputs,
    ...(metrics === undefined ? {} : { metrics }),
    codeHash: codeHashes[name] ?? `${name}-v1`,
  });
  return definePipeline({
    name: "skip",
    source: "skip.ipynb",
    nodes: [
      node(
        "scale",
        (raw: number[], factor: number) => ({ scaled: raw.map((x) => x * factor) }),
        ["raw", "params:factor"],
        ["scaled"],
      ),
      node(
        "total",
        (scaled: number[], offset: number) => ({ sum: scaled.reduce((a, b) => a + b, offset) }),
        ["scaled", "params:offset"],
        ["sum"],
      ),
      node("score", (sum: number) => ({ score: sum / 10 }), ["sum"], ["score"], ["score"]),
    ],
    parameters: { defaults: { factor: 2, offset: 0 }, schema: {} },
  });
}

async function run(
  params: Record<string, unknown> = {},
  options: { force?: boolean; codeHashes?: Record<string, string> } = {},
) {
  calls = [];
  const catalog = new Catalog(
    { raw: { type: "json", path: "data/raw.json" }, sum: { type: "json", path: "data/sum.json" } },
    { root },
  );
  const p = pipeline(options.codeHashes);
  const result = await new Runner({
    catalog,
    params: { ...p.parameters.defaults, ...params },
    states,
    force: options.force ?? false,
    root,
  }).run(p);
  return Object.fromEntries(result.nodes.map((n) => [n.node, n.status]));
}

describe("skip what has not changed", () => {
  it("a second run skips every node", async () => {
    expect(await run()).toEqual({ scale: "ran", total: "ran", score: "ran" });
    expect(await run()).toEqual({ scale: "skipped", total: "skipped", score: "skipped" });
    expect(calls).toEqual([]);
  });

  it("changing a parameter reruns only the nodes it affects (and replays an unchanged producer of in-memory inputs)", async () => {
    await run();
    expect(await run({ offset: 100 })).toEqual({ scale: "replayed", total: "ran", score: "ran" });
    expect(await run({ offset: 100 })).toEqual({ scale: "skipped", total: "skipped", score: "skipped" });
  });

  it("an output that keeps its content does not rerun what reads it (early cutoff)", async () => {
    await run();
    // factor 2 → 1 and offset 0 → 10: total reruns, but sum stays 20, so score (which reads only sum) is skipped.
    expect(await run({ factor: 1, offset: 10 })).toEqual({ scale: "ran", total: "ran", score: "skipped" });
    expect(calls).toEqual(["scale", "total"]);
    expect(await run({ factor: 1, offset: 10 }, { codeHashes: { score: "score-v2" } })).toEqual({
      scale: "skipped",
      total: "skipped",
      score: "ran",
    });
  });

  it("a changed input file, a changed node code or a deleted or edited output reruns what depends on them", async () => {
    await run();
    writeFileSync(join(root, "data/raw.json"), JSON.stringify([1, 2, 3, 5]));
    expect(await run()).toEqual({ scale: "ran", total: "ran", score: "ran" });
    // total's new code writes the same sum, so score stays skipped.
    expect(await run({}, { codeHashes: { total: "total-v2" } })).toEqual({
      scale: "replayed",
      total: "ran",
      score: "skipped",
    });
    rmSync(join(root, "data/sum.json"));
    expect(await run({}, { codeHashes: { total: "total-v2" } })).toEqual({
      scale: "replayed",
      total: "ran",
      score: "skipped",
    });
    writeFileSync(join(root, "data/sum.json"), "999");
    expect(await run({}, { codeHashes: { total: "total-v2" } })).toEqual({
      scale: "replayed",
      total: "ran",
      score: "skipped",
    });
    expect(calls).toEqual(["scale", "total"]);
  });

  it("--force reruns everything", async () => {
    await run();
    expect(await run({}, { force: true })).toEqual({ scale: "ran", total: "ran", score: "ran" });
  });

  it("records each node's fingerprint, output digests and metrics", async () => {
    await run();
    const state = await states.getNodeState("skip", "score");
    expect(state?.metrics).toEqual([{ name: "score", value: 2, step: undefined }]);
    expect(Object.keys((await states.getNodeState("skip", "total"))!.outputs)).toEqual(["sum"]);
  });
});
