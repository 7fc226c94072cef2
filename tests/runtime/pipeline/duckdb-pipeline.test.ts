// A pipeline reading and writing through DuckDB runs, skips what has not changed (digests) and reruns on a changed input.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tableFromArrays, type Table } from "apache-arrow";
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

async function run(
  definition = pipeline,
  catalogEntries: Record<string, object> = entries,
): Promise<string | undefined> {
  const result = await new Runner({
    catalog: new Catalog(catalogEntries, { root }),
    params: {},
    states: new SqliteNodeStateStore(store.db),
    force: false,
    root,
  }).run(definition);
  return result.nodes[0]?.status;
}

// The same through Arrow tables: the node receives one (`as: arrow`) and returns one, saved as Parquet.
const arrowEntries = {
  raw: { type: "parquet", path: "data/raw.parquet", as: "arrow" },
  heavy: { type: "parquet", path: "data/heavy.parquet", as: "rows" },
};
const arrowPipeline = definePipeline({
  name: "duck-arrow",
  source: "duck.ipynb",
  nodes: [
    {
      name: "heavy",
      func: (raw: Table) => {
        const attack = raw.getChild("attack")!.toArray() as BigInt64Array;
        const types = raw.getChild("type1")!.toArray() as string[];
        const keep = [...attack.keys()].filter((i) => attack[i]! >= 50n);
        return {
          heavy: tableFromArrays({
            type1: keep.map((i) => types[i]!),
            attack: Float64Array.from(keep, (i) => Number(attack[i])),
          }),
        };
      },
      inputs: ["raw"],
      outputs: ["heavy"],
      codeHash: "heavy-v1",
    },
  ],
  parameters: { defaults: {}, schema: {} },
});

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

  it("hands a node an Arrow table and saves the Arrow table it returns; skips when unchanged", async () => {
    const catalog = new Catalog(entries, { root });
    await catalog.save("raw", [
      { type1: "fire", attack: 50 },
      { type1: "water", attack: 10 },
      { type1: "grass", attack: 70 },
    ]);
    expect(await run(arrowPipeline, arrowEntries)).toBe("ran");
    expect(await new Catalog(arrowEntries, { root }).load("heavy")).toEqual([
      { type1: "fire", attack: 50 },
      { type1: "grass", attack: 70 },
    ]);
    expect(await run(arrowPipeline, arrowEntries)).toBe("skipped");
  });
});
