// DuckDB-backed datasets hand nodes Apache Arrow tables (`as: arrow`) and save them, on real Parquet and .duckdb files.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Table, tableFromArrays, vectorFromArray, TimestampMillisecond } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { queryColumns, withDuckDB } from "../../../runtime/catalog/duckdb.ts";

let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "cellforge-arrow-"));
  mkdirSync(join(root, "data"));
  // 100,000 rows written by DuckDB itself, with the column types a real Parquet file has.
  await withDuckDB(root, async (c) => {
    await c.run(
      `COPY (SELECT i AS id, 'mon' || i AS name, ['fire','water','grass'][i % 3 + 1] AS type1, (i % 97) * 1.5 AS attack,
        i % 2 = 0 AS even, TIMESTAMP '2026-01-01' + INTERVAL (i) SECOND AS caught, [i, i + 1] AS pair, i::INTEGER AS small
        FROM range(100000) t(i)) TO '${join(root, "data/big.parquet")}' (FORMAT parquet)`,
    );
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const entries = {
  big: { type: "parquet", path: "data/big.parquet", as: "arrow" },
  attack: {
    type: "duckdb.query",
    query: "select type1, avg(attack) as attack, count(*) as n from 'data/big.parquet' group by 1 order by 1",
    as: "arrow",
  },
  shaped: { type: "duckdb.query", query: "select {'a': 1} as s", as: "arrow" },
  saved: { type: "parquet", path: "data/saved.parquet", as: "arrow" },
  savedRows: { type: "parquet", path: "data/saved.parquet", as: "rows" },
  table: { type: "duckdb.table", path: "data/shop.duckdb", table: "mons", as: "arrow" },
  tableRows: { type: "duckdb.table", path: "data/shop.duckdb", table: "mons", as: "rows" },
  plain: { type: "parquet", path: "data/plain.parquet", as: "rows" },
  wrong: { type: "parquet", path: "data/big.parquet", as: "polars" },
};

describe("as: arrow", () => {
  it("loads a 100k-row Parquet file as an Arrow table with DuckDB's types", async () => {
    const table = (await new Catalog(entries, { root }).load("big")) as Table;
    expect(table).toBeInstanceOf(Table);
    expect(table.numRows).toBe(100_000);
    expect(table.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ["id", "Int64"],
      ["name", "Utf8"],
      ["type1", "Utf8"],
      ["attack", "Float64"],
      ["even", "Bool"],
      ["caught", "Timestamp<MILLISECOND>"],
      ["pair", "List<Int64>"],
      ["small", "Int32"],
    ]);
    const row = (table.get(4) as { toJSON(): Record<string, unknown> }).toJSON();
    expect(row).toMatchObject({ id: 4n, name: "mon4", type1: "water", attack: 6, even: true, small: 4 });
    expect(new Date(row["caught"] as number).toISOString()).toBe("2026-01-01T00:00:04.000Z");
    expect([...(row["pair"] as Iterable<bigint>)]).toEqual([4n, 5n]);
    // Columns are typed arrays a model can take as they are.
    const attack = table.getChild("attack")!.toArray() as Float64Array;
    expect(attack).toBeInstanceOf(Float64Array);
    expect(attack[96]).toBe(144);
  });

  it("loads a query's rows as an Arrow table", async () => {
    const table = (await new Catalog(entries, { root }).load("attack")) as Table;
    expect((table.toArray() as { toJSON(): unknown }[]).map((r) => r.toJSON())).toEqual([
      { type1: "fire", attack: expect.closeTo(71.98, 1) as number, n: 33334n },
      { type1: "grass", attack: expect.closeTo(72.0, 1) as number, n: 33333n },
      { type1: "water", attack: expect.closeTo(72.0, 1) as number, n: 33333n },
    ]);
  });

  it("a column Arrow cannot take is an error saying what to do", async () => {
    await expect(new Catalog(entries, { root }).load("shaped")).rejects.toThrow(
      /column `s` is a DuckDB STRUCT\("a" INTEGER\), which cellforge does not hand over as Arrow; cast it in SQL/,
    );
    expect(() => new Catalog(entries, { root }).get("wrong")).toThrow(
      'Catalog entry `wrong` has `as: "polars"`; use `dataframe` (a danfojs DataFrame, the default), `rows` (an array of row objects) or `arrow` (an Apache Arrow table).',
    );
  });

  it("saves an Arrow table to Parquet and to a .duckdb table, keeping its types", async () => {
    const arrow = tableFromArrays({
      id: new Int32Array([1, 2, 3]),
      big: new BigInt64Array([10n, 20n, 30n]),
      weight: new Float64Array([6.9, 13, 0.1]),
      type1: ["grass", "fire", null],
      legendary: [false, true, false],
    });
    const withTime = arrow.assign(
      new Table({
        caught: vectorFromArray([new Date("2026-01-02T03:04:05Z"), null, null], new TimestampMillisecond()),
      }),
    );
    const catalog = new Catalog(entries, { root });
    await catalog.save("saved", withTime);
    const back = (await catalog.load("saved")) as Table;
    expect(back.schema.fields.map((f) => [f.name, String(f.type)])).toEqual([
      ["id", "Int32"],
      ["big", "Int64"],
      ["weight", "Float64"],
      ["type1", "Utf8"],
      ["legendary", "Bool"],
      ["caught", "Timestamp<MILLISECOND>"],
    ]);
    expect(await catalog.load("savedRows")).toEqual([
      { id: 1, big: 10, weight: 6.9, type1: "grass", legendary: false, caught: new Date("2026-01-02T03:04:05Z") },
      { id: 2, big: 20, weight: 13, type1: "fire", legendary: true, caught: null },
      { id: 3, big: 30, weight: 0.1, type1: null, legendary: false, caught: null },
    ]);

    await expect(catalog.save("saved", tableFromArrays({ at: [{ x: 1 }] as unknown as number[] }))).rejects.toThrow(
      /column `at` of the Arrow table is an Arrow Struct, which cellforge cannot save yet/,
    );
    await catalog.save("table", back);
    expect(((await catalog.load("table")) as Table).numRows).toBe(3);
    expect(((await catalog.load("tableRows")) as unknown[])[1]).toMatchObject({ id: 2, type1: "fire" });
  });
});

describe("saving row objects through DuckDB's appender", () => {
  it("types columns as read_json did: whole numbers BIGINT, others DOUBLE, dates TIMESTAMP, nested values kept", async () => {
    const catalog = new Catalog(entries, { root });
    const rows = [
      { id: 1, score: 1, name: "Mew", seen: new Date("2026-01-01T00:00:00Z"), ok: true },
      { id: 2, score: 2.5, name: null, seen: null, ok: false },
    ];
    await catalog.save("plain", rows);
    expect(await catalog.load("plain")).toEqual(rows);
    const described = await withDuckDB(root, (c) =>
      queryColumns(c, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM 'data/plain.parquet')"),
    );
    expect(described.columns["column_type"]).toEqual(["BIGINT", "DOUBLE", "VARCHAR", "TIMESTAMP", "BOOLEAN"]);

    // Lists and objects still go through read_json, which types them as LIST and STRUCT.
    const nested = [
      { name: "Mew", moves: ["psychic", "transform"], stats: { hp: 100 } },
      { name: "Abra", moves: ["teleport"], stats: { hp: 25 } },
    ];
    await catalog.save("plain", nested);
    expect(await catalog.load("plain")).toEqual(nested);
  });
});
