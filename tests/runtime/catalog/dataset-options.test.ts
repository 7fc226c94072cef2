import { projectCredentials } from "../../../runtime/config/project-credentials.ts";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import type { Dataset } from "../../../runtime/catalog/dataset.ts";
import { defineDatasetType } from "../../../runtime/catalog/dataset-type.ts";
import { builtinDatasetTypes, DatasetTypes } from "../../../runtime/catalog/dataset-types.ts";
import { MemoryDataset } from "../../../runtime/catalog/memory-dataset.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-catalog-options-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A type that declares a `table` and `credentials`, and hands back what it was given (as a database table dataset would use it). */
function tableType(seen: Record<string, unknown>[]) {
  return defineDatasetType({
    doc: "a table of a database",
    options: {
      table: { kind: "string", required: true, doc: "the table's name" },
      credentials: { kind: "credentials", doc: "the database login" },
    },
    create: (name, entry) => {
      seen.push(entry);
      return new MemoryDataset(name);
    },
  });
}

describe("catalog entries are checked against the options their type declares", () => {
  it("csv load_args and save_args pass through to the reader and the writer", async () => {
    const { DataFrame } = await import("danfojs-node");
    const catalog = new Catalog(
      { semi: { type: "csv", path: "data/semi.csv", load_args: { delimiter: ";" }, save_args: { delimiter: ";" } } },
      { root },
    );
    await catalog.save("semi", new DataFrame({ name: ["Mr. Mime", "Bulbasaur; seed"], hp: [40, 45] }));
    expect(readFileSync(join(root, "data/semi.csv"), "utf8")).toBe('name;hp\nMr. Mime;40\n"Bulbasaur; seed";45\n');
    const loaded = (await catalog.load("semi")) as InstanceType<typeof DataFrame>;
    expect(loaded.columns).toEqual(["name", "hp"]);
    expect(loaded.values).toEqual([
      ["Mr. Mime", 40],
      ["Bulbasaur; seed", 45],
    ]);
  });

  it("an unknown option names the type's options and the closest one", () => {
    expect(() => new Catalog({ raw: { type: "csv", path: "a.csv", load_arg: { delimiter: ";" } } }, { root })).toThrow(
      /unknown key\(s\) `load_arg`; allowed: type, path, versioned, load_args, save_args, engine, pipelines, description, metadata \(type csv: .*\)\. Did you mean `load_args` for `load_arg`\?/,
    );
    // json declares no load_args: the same key is refused there.
    expect(() => new Catalog({ raw: { type: "json", path: "a.json", load_args: {} } }, { root })).toThrow(
      /unknown key\(s\) `load_args`; allowed: type, path, versioned, pipelines/,
    );
  });

  it("an option of the wrong kind says what it takes", () => {
    expect(() => new Catalog({ raw: { type: "csv", path: "a.csv", load_args: ";" } }, { root })).toThrow(
      "Catalog entry `raw` has `load_args: \";\"`; `load_args` (options for reading: delimiter (default ',')) takes a mapping (key: value lines).",
    );
  });

  it("an unknown type suggests the closest and says where a project registers its own", () => {
    expect(() => new Catalog({ raw: { type: "tfjs_model", path: "m" } }, { root })).toThrow(
      /Use one of: csv, danfojs-transformer, duckdb.query, duckdb.table, json, memory, parquet, text, tfjs-model, tfjs-tensor \(in conf\/base\/catalog.yml\)\. Did you mean `tfjs-model`\? A type of the project's own is registered in cellforge.hooks.ts/,
    );
  });
});

describe("dataset types belong to one catalog, not to the process", () => {
  it("a type registered for one project is unknown to another", () => {
    const seen: Record<string, unknown>[] = [];
    const withTable = builtinDatasetTypes().register("sql-table", tableType(seen));
    const entries = { users: { type: "sql-table", table: "users" } };
    expect(new Catalog(entries, { root, types: withTable }).get("users")).toBeInstanceOf(MemoryDataset);
    expect(() => new Catalog(entries, { root })).toThrow(/has type `sql-table`, which cellforge does not know/);
    expect(() => new Catalog(entries, { root, types: builtinDatasetTypes() })).toThrow(/has type `sql-table`/);
  });

  it("a required option of a project type is checked, and a built-in name cannot be taken", () => {
    const types = builtinDatasetTypes().register("sql-table", tableType([]));
    expect(() => new Catalog({ users: { type: "sql-table" } }, { root, types })).toThrow(
      "Dataset `users` (type sql-table) needs a `table` in conf/base/catalog.yml. `table`: the table's name.",
    );
    expect(() => new DatasetTypes().register("csv", tableType([])).register("csv", tableType([]))).toThrow(
      /dataset type `csv`, which is already registered/,
    );
  });
});

describe("credentials: NAME resolves from conf/<env>/credentials.yml and CELLFORGE_CREDENTIALS_<NAME>_<KEY>", () => {
  function catalogWith(environment: Record<string, string>, seen: Record<string, unknown>[]): Catalog {
    const types = builtinDatasetTypes().register("sql-table", tableType(seen));
    return new Catalog(
      { users: { type: "sql-table", table: "users", credentials: "warehouse" } },
      { root, types, credentials: projectCredentials(root, "local", environment) },
    );
  }

  it("the dataset gets the keys of conf/local/credentials.yml, each overridden by its environment variable", () => {
    mkdirSync(join(root, "conf/local"), { recursive: true });
    writeFileSync(join(root, "conf/local/credentials.yml"), "warehouse:\n  user: ash\n  password: pikachu\n");
    const seen: Record<string, unknown>[] = [];
    catalogWith(
      { CELLFORGE_CREDENTIALS_WAREHOUSE_PASSWORD: "from-env", CELLFORGE_CREDENTIALS_OTHER_USER: "x" },
      seen,
    ).get("users");
    expect(seen).toEqual([{ type: "sql-table", table: "users", credentials: { user: "ash", password: "from-env" } }]);
  });

  it("the environment alone is enough", () => {
    const seen: Record<string, unknown>[] = [];
    catalogWith(
      { CELLFORGE_CREDENTIALS_WAREHOUSE_USER: "misty", CELLFORGE_CREDENTIALS_WAREHOUSE_PASSWORD: "starmie" },
      seen,
    ).get("users");
    expect(seen[0]?.["credentials"]).toEqual({ user: "misty", password: "starmie" });
  });

  it("missing credentials say where to set them and never show a value", () => {
    mkdirSync(join(root, "conf/local"), { recursive: true });
    writeFileSync(join(root, "conf/local/credentials.yml"), "lake:\n  token: secret-token\n");
    let message = "";
    try {
      catalogWith({ CELLFORGE_CREDENTIALS_LAKE_KEY: "secret-key" }, []).get("users");
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toBe(
      "Dataset `users` uses credentials `warehouse`, which are not set. Add `warehouse:` with its keys to conf/local/credentials.yml (git-ignored), " +
        "or set environment variables CELLFORGE_CREDENTIALS_WAREHOUSE_<KEY> (credentials set: lake).",
    );
  });

  it("describe() of a dataset with credentials holds no credential value", () => {
    mkdirSync(join(root, "conf/local"), { recursive: true });
    writeFileSync(join(root, "conf/local/credentials.yml"), "warehouse:\n  password: pikachu\n");
    const dataset: Dataset = catalogWith({}, []).get("users");
    expect(JSON.stringify(dataset.describe())).not.toContain("pikachu");
  });
});
