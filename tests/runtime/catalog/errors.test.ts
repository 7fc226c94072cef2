import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { CatalogError } from "../../../runtime/catalog/errors.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-catalog-errors-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof CatalogError ? error.code : "not a CatalogError";
  }
  return undefined;
}

describe("catalog errors say what to do", () => {
  it("a missing file names the dataset and its path", async () => {
    const catalog = new Catalog({ pokemon: { type: "csv", path: "data/01_raw/pokemon.csv" } }, { root });
    await expect(catalog.load("pokemon")).rejects.toThrow("Dataset `pokemon` has no file at data/01_raw/pokemon.csv.");
    expect(await catalog.get("pokemon").exists()).toBe(false);
    expect(await catalog.get("pokemon").digest()).toBeUndefined();
  });

  it("an unknown type lists the known ones", () => {
    expect(() => new Catalog({ sheet: { type: "excel", path: "a.xlsx" } }, { root })).toThrow(
      "Dataset `sheet` has type `excel`, which cellforge does not know. Use one of: csv, danfojs-transformer, duckdb.query, duckdb.table, json, memory, parquet, text, tfjs-model, tfjs-tensor (in conf/base/catalog.yml).",
    );
  });

  it("a path that leaves the project is refused", () => {
    for (const path of ["../outside.csv", "/etc/passwd", "data/../../x.csv", "."]) {
      const catalog = new Catalog({ escape: { type: "csv", path } }, { root });
      expect(() => catalog.get("escape"), path).toThrow(/is outside the project/);
      expect(codeOf(() => catalog.get("escape"))).toBe("DATASET_PATH");
    }
    expect(() =>
      new Catalog({ inside: { type: "csv", path: join(root, "data/x.csv") } }, { root }).get("inside"),
    ).not.toThrow();
  });

  it("malformed entries are named", () => {
    expect(() => new Catalog({ a: "csv" }, { root })).toThrow(/Catalog entry `a` must be a mapping/);
    expect(() => new Catalog({ a: { path: "x.csv" } }, { root })).toThrow(/Catalog entry `a` has no `type`/);
    expect(() => new Catalog({ a: { type: "csv", path: "x.csv", versoned: true } }, { root })).toThrow(
      /unknown key\(s\) `versoned`; allowed: type, path, versioned/,
    );
    expect(() => new Catalog({ a: { type: "csv" } }, { root }).get("a")).toThrow(
      "Dataset `a` (type csv) needs a `path` in conf/base/catalog.yml.",
    );
  });

  it("saving the wrong kind of value says which type to use", async () => {
    const catalog = new Catalog(
      { t: { type: "text", path: "t.txt" }, c: { type: "csv", path: "c.csv" }, m: { type: "tfjs-model", path: "m" } },
      { root },
    );
    await expect(catalog.save("t", { a: 1 })).rejects.toThrow(
      "Could not save dataset `t` (t.txt): a text dataset saves strings, not object; use type json for other values",
    );
    await expect(catalog.save("c", 42)).rejects.toThrow(
      /a csv dataset saves a danfojs DataFrame or an array of records/,
    );
    await expect(catalog.save("m", {})).rejects.toThrow(/a tfjs-model dataset saves a tf.LayersModel/);
  });
});
