// `sql` in a notebook: DuckDB over the catalog's datasets of the project at the working directory, a danfojs DataFrame back.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalog, sql } from "../../../runtime/sql/sql.ts";

const repo = resolve(import.meta.dirname, "../../..");
let root: string;
let cwd: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-sql-"));
  mkdirSync(join(root, "conf/base"), { recursive: true });
  mkdirSync(join(root, "data/01_raw"), { recursive: true });
  copyFileSync(join(repo, "data/01_raw/pokemon.csv"), join(root, "data/01_raw/pokemon.csv"));
  writeFileSync(
    join(root, "conf/base/catalog.yml"),
    "train.pokemon:\n  type: csv\n  path: data/01_raw/pokemon.csv\nnotes:\n  type: json\n  path: data/notes.json\n",
  );
  cwd = process.cwd();
  process.chdir(root);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

describe("sql over the catalog", () => {
  it("groups a catalog CSV and binds other values as parameters", async () => {
    const frame = await sql`select type1, count(*) as n, max(attack) as top from ${catalog.pokemon}
      where generation <= ${1} group by 1 order by 2 desc limit 2`;
    expect(frame.columns).toEqual(["type1", "n", "top"]);
    expect(frame.values).toEqual([
      ["water", 28, 130],
      ["normal", 22, 110],
    ]);
  });

  it("says which datasets SQL can read, and which names the catalog has", async () => {
    await expect(sql`select * from ${catalog.notes}`).rejects.toThrow(
      "Dataset `notes` has type json, which SQL cannot read; use a csv, parquet, duckdb.table or duckdb.query dataset.",
    );
    await expect(sql`select * from ${catalog.pokedex}`).rejects.toThrow(
      "The catalog (conf/base/catalog.yml) has no dataset `pokedex`; it has train.pokemon, notes.",
    );
  });
});
