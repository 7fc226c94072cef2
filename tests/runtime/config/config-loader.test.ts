import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadProjectConfig } from "../../../runtime/config/config-loader.ts";
import { findProjectRoot } from "../../../runtime/config/project-root.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-conf-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(root, path, ".."), { recursive: true });
  writeFileSync(join(root, path), text);
}

describe("project configuration", () => {
  it("merges conf/<env> over conf/base entry by entry", () => {
    write(
      "conf/base/catalog.yml",
      "pokemon:\n  type: csv\n  path: data/01_raw/pokemon.csv\nmodel:\n  type: tfjs-model\n  path: data/06_models/model\n",
    );
    write("conf/staging/catalog.yml", "pokemon:\n  type: csv\n  path: data/01_raw/kaggle.csv\n");
    write("conf/base/tracking.yml", "experiment: pokemon\n");
    const config = loadProjectConfig(root, "staging");
    expect(config.catalog).toEqual({
      pokemon: { type: "csv", path: "data/01_raw/kaggle.csv" },
      model: { type: "tfjs-model", path: "data/06_models/model" },
    });
    expect(config.tracking).toEqual({ experiment: "pokemon" });
  });

  it("works without any conf/ folder (local is optional)", () => {
    expect(loadProjectConfig(root)).toEqual({
      env: "local",
      catalog: {},
      parameters: { base: {}, env: {} },
      tracking: {},
    });
  });

  it("names a missing environment and lists the known ones", () => {
    write("conf/base/catalog.yml", "");
    write("conf/prod/catalog.yml", "");
    expect(() => loadProjectConfig(root, "prd")).toThrow(
      "No configuration environment `prd`: conf/prd/ does not exist. Known environments: prod.",
    );
  });

  it("points at the line of a YAML error", () => {
    write("conf/base/parameters.yml", "epochs: 5\nlearning_rate: [0.1\n");
    expect(() => loadProjectConfig(root)).toThrow(/^conf\/base\/parameters.yml:\d+ is not valid YAML/);
    write("conf/base/parameters.yml", "- 1\n- 2\n");
    expect(() => loadProjectConfig(root)).toThrow("conf/base/parameters.yml must be a mapping of names to values");
  });

  it("finds the project root: the nearest folder with a package.json", () => {
    write("package.json", "{}");
    mkdirSync(join(root, "notebooks/deep"), { recursive: true });
    expect(findProjectRoot(join(root, "notebooks/deep"))).toBe(root);
    expect(() => findProjectRoot("/")).toThrow(/No package.json in \/ or above it/);
  });
});
