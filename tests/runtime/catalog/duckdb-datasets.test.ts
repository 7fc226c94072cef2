// DuckDB-backed datasets on real files: a generated 100k-row Parquet, a .duckdb database, a truncated Parquet, interrupted saves.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { withDuckDB } from "../../../runtime/catalog/duckdb.ts";

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "cellforge-duckdb-"));
  mkdirSync(join(root, "data"));
  // 100,000 rows written by DuckDB itself, as a real Parquet file from elsewhere would be.
  await withDuckDB(root, async (c) => {
    await c.run(
      `COPY (SELECT i AS id, 'mon' || i AS name, ['fire','water','grass'][i % 3 + 1] AS type1, (i % 97) * 1.5 AS attack, i % 2 = 0 AS even FROM range(100000) t(i)) TO '${join(root, "data/big.parquet")}' (FORMAT parquet)`,
    );
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const entries = {
  big: { type: "parquet", path: "data/big.parquet", as: "rows" },
  frame: { type: "parquet", path: "data/frame.parquet" },
  versions: { type: "parquet", path: "data/versions.parquet", versioned: true, as: "rows" },
  truncated: { type: "parquet", path: "data/truncated.parquet" },
  orders: { type: "duckdb.table", path: "data/shop.duckdb", table: "orders", as: "rows" },
  log: { type: "duckdb.table", path: "data/shop.duckdb", table: "log", mode: "append", as: "rows" },
  attack: {
    type: "duckdb.query",
    query: "select type1, avg(attack) as attack, count(*) as n from 'data/big.parquet' group by 1 order by 1",
    as: "rows",
  },
  shop: {
    type: "duckdb.query",
    attach: "data/shop.duckdb",
    query: "select sum(qty) as qty from db.orders",
    as: "rows",
  },
  table: { type: "csv", path: "data/table.csv" },
  fast: { type: "csv", path: "data/table.csv", engine: "duckdb" },
};

describe("parquet datasets", () => {
  it("load a 100k-row Parquet file as typed row objects", async () => {
    const rows = (await new Catalog(entries, { root }).load("big")) as Record<string, unknown>[];
    expect(rows).toHaveLength(100_000);
    expect(rows[4]).toEqual({ id: 4, name: "mon4", type1: "water", attack: 6, even: true });
  });

  it("round-trip a DataFrame, and keep one version per run", async () => {
    const { DataFrame } = await import("danfojs-node");
    await new Catalog(entries, { root }).save("frame", new DataFrame({ name: ["Mew", "Abra"], hp: [100, 25] }));
    const frame = (await new Catalog(entries, { root }).load("frame")) as InstanceType<typeof DataFrame>;
    expect(frame.columns).toEqual(["name", "hp"]);
    expect(frame.values).toEqual([
      ["Mew", 100],
      ["Abra", 25],
    ]);
    await new Catalog(entries, { root, saveVersion: "2026-01-01T00.00.00.000Z" }).save("versions", [{ n: 1 }]);
    await new Catalog(entries, { root, saveVersion: "2026-01-02T00.00.00.000Z" }).save("versions", [{ n: 2 }]);
    expect(readdirSync(join(root, "data/versions.parquet"))).toHaveLength(2);
    expect(await new Catalog(entries, { root }).load("versions")).toEqual([{ n: 2 }]);
  });

  it("a truncated Parquet file is an error naming the dataset and the file", async () => {
    const bytes = readFileSync(join(root, "data/big.parquet"));
    writeFileSync(join(root, "data/truncated.parquet"), bytes.subarray(0, bytes.length / 2));
    await expect(new Catalog(entries, { root }).load("truncated")).rejects.toThrow(
      /Could not load dataset `truncated` \(data\/truncated\.parquet\): it is not a readable Parquet file/,
    );
  });

  it("a save killed half-way leaves the old file and nothing half-written in the data folder", async () => {
    writeFileSync(join(root, "data/frame.parquet"), readFileSync(join(root, "data/big.parquet")));
    const before = readFileSync(join(root, "data/frame.parquet"));
    const script = `
      import { Catalog } from ${JSON.stringify(join(import.meta.dirname, "../../../runtime/catalog/catalog.ts"))};
      const rows = Array.from({ length: 200000 }, (_, i) => ({ id: i, name: "row " + i, x: i / 7 }));
      console.log("saving");
      await new Catalog(${JSON.stringify(entries)}, { root: ${JSON.stringify(root)} }).save("frame", rows);`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const temporary = join(root, ".cellforge/tmp");
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (existsSync(temporary) && readdirSync(temporary).length > 0) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    expect(readFileSync(join(root, "data/frame.parquet")).equals(before)).toBe(true);
    expect(readdirSync(join(root, "data")).filter((f) => f.startsWith("frame") || f.includes("tmp"))).toEqual([
      "frame.parquet",
    ]);
  });
});

describe("duckdb.table and duckdb.query datasets", () => {
  it("a table saves, appends, and a failed save leaves it as it was", async () => {
    const catalog = new Catalog(entries, { root });
    expect(await catalog.get("orders").exists()).toBe(false);
    await catalog.save("orders", [
      { id: 1, qty: 2 },
      { id: 2, qty: 5 },
    ]);
    const digest = await catalog.get("orders").digest();
    expect(await catalog.load("orders")).toEqual([
      { id: 1, qty: 2 },
      { id: 2, qty: 5 },
    ]);
    await catalog.save("log", [{ event: "a" }]);
    await catalog.save("log", [{ event: "b" }]);
    expect(await catalog.load("log")).toEqual([{ event: "a" }, { event: "b" }]);
    expect(await catalog.get("orders").digest()).not.toBe(digest);
    // A column the table lacks stops the append inside its transaction: nothing of it is kept.
    await expect(catalog.save("log", [{ event: "c" }, { event: "d", extra: 1 }])).rejects.toThrow(
      /Could not save dataset `log` \(data\/shop\.duckdb, table log\)/,
    );
    expect(await catalog.load("log")).toEqual([{ event: "a" }, { event: "b" }]);
  });

  it("a query reads files and an attached database, and cannot be saved", async () => {
    const catalog = new Catalog(entries, { root });
    const rows = (await catalog.load("attack")) as { type1: string; n: number }[];
    expect(rows.map((r) => [r.type1, r.n])).toEqual([
      ["fire", 33334],
      ["grass", 33333],
      ["water", 33333],
    ]);
    expect(await catalog.load("shop")).toEqual([{ qty: 7 }]);
    await expect(catalog.save("attack", [])).rejects.toThrow(
      "Dataset `attack` is a duckdb.query, which is read-only; save the node's output to a parquet or duckdb.table entry instead.",
    );
  });
});

describe("csv with engine: duckdb", () => {
  it("types the cells as the default reader does (1/0 numbers, true/false booleans, empty null, text)", async () => {
    writeFileSync(
      join(root, "data/table.csv"),
      'name,hp,legendary,flag,note,weight\nMew,100,1,true,"psychic, rare",4.0\nAbra,25,0,FALSE,,19.5\n',
    );
    const catalog = new Catalog(entries, { root });
    const plain = (await catalog.load("table")) as {
      columns: string[];
      values: unknown[][];
      ctypes: { values: unknown };
    };
    const fast = (await catalog.load("fast")) as typeof plain;
    expect(fast.columns).toEqual(plain.columns);
    expect(fast.values).toEqual(plain.values);
    expect(fast.ctypes.values).toEqual(plain.ctypes.values);
    expect(plain.values[1]).toEqual(["Abra", 25, 0, false, null, 19.5]);
  });
});
