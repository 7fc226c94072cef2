// A pipeline reading and writing through DuckDB runs, skips what has not changed (digests) and reruns on a changed input.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { definePipeline } from "../../../runtime/pipeline/definition.ts";
import { PipelineScheduler as Runner } from "../../../runtime/pipeline/scheduler.ts";
import { SqliteNodeStateStore } from "../../../runtime/tracking/sqlite-node-state-store.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";

let root: string;
let store: SqliteTrackingStore;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-duckdb-pipeline-"));
  mkdirSync(join(root, "data"));
  store = SqliteTrackingStore.open(join(root, ".cellforge/tracking.db"));
});
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

type Row = { type1: string; attack: number };
const entries = {
  raw: { type: "parquet", path: "data/raw.parquet", as: "rows" },
  strongest: { type: "duckdb.query", query: "select max(attack) as attack from 'data/raw.parquet'", as: "rows" },
  summary: { type: "duckdb.table", path: "data/summary.duckdb", table: "summary", as: "rows" },
};
const pipeline = definePipeline({
  name: "duck",
  source: "duck.ipynb",
  nodes: [
    {
      name: "summarize",
      func: (raw: Row[], strongest: { attack: number }[]) => ({
        summary: [...new Set(raw.map((r) => r.type1))].sort().map((type1) => ({
          type1,
          share: raw.filter((r) => r.type1 === type1).reduce((sum, r) => sum + r.attack, 0) / strongest[0]!.attack,
        })),
      }),
      inputs: ["raw", "strongest"],
      outputs: ["summary"],
      codeHash: "summarize-v1",
    },
  ],
  parameters: { defaults: {}, schema: {} },
});

async function run(): Promise<string | undefined> {
  const result = await new Runner({
    catalog: new Catalog(entries, { root }),
    params: {},
    states: new SqliteNodeStateStore(store.db),
    force: false,
    root,
  }).run(pipeline);
  return result.nodes[0]?.status;
}

describe("a pipeline through DuckDB datasets", () => {
  it("runs, skips an unchanged rerun, and reruns when the Parquet input changes", async () => {
    const catalog = new Catalog(entries, { root });
    await catalog.save("raw", [
      { type1: "fire", attack: 50 },
      { type1: "water", attack: 100 },
      { type1: "fire", attack: 30 },
    ]);
    expect(await run()).toBe("ran");
    expect(await catalog.load("summary")).toEqual([
      { type1: "fire", share: 0.8 },
      { type1: "water", share: 1 },
    ]);
    expect(await run()).toBe("skipped");
    await catalog.save("raw", [{ type1: "grass", attack: 40 }]);
    expect(await run()).toBe("ran");
    expect(await catalog.load("summary")).toEqual([{ type1: "grass", share: 1 }]);
  });
});
