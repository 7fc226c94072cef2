// Datasets are namespaced by pipeline: `capture`'s `model` is `capture.model`, never train's file; sharing is an entry both name.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-namespaces-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const entries = {
  "train.featureSpec": { type: "json", path: "data/06_models/train/featureSpec.json" },
  "capture.featureSpec": { type: "json", path: "data/06_models/capture/featureSpec.json" },
  pokemon: { type: "csv", path: "data/01_raw/pokemon.csv" },
  threshold: { type: "json", path: "data/08_reporting/threshold.json", pipelines: ["train", "capture"] },
  onlyTrain: { type: "json", path: "data/08_reporting/onlyTrain.json", pipelines: ["train"] },
};

describe("a pipeline's catalog", () => {
  it("resolves a dataset to the pipeline's own entry, so two pipelines saving `featureSpec` write two files", async () => {
    await new Catalog(entries, { root, pipeline: "train" }).save("featureSpec", { from: "train" });
    await new Catalog(entries, { root, pipeline: "capture" }).save("featureSpec", { from: "capture" });
    expect(JSON.parse(readFileSync(join(root, "data/06_models/train/featureSpec.json"), "utf8"))).toEqual({
      from: "train",
    });
    expect(JSON.parse(readFileSync(join(root, "data/06_models/capture/featureSpec.json"), "utf8"))).toEqual({
      from: "capture",
    });
  });

  it("falls back to an un-namespaced entry the pipeline may use, else memory", async () => {
    const capture = new Catalog(entries, { root, pipeline: "capture" });
    expect(capture.lists("pokemon")).toBe(true);
    expect(capture.lists("threshold")).toBe(true);
    // Listed for train only: capture's `onlyTrain` is its own, in memory.
    expect(capture.lists("onlyTrain")).toBe(false);
    expect(capture.get("onlyTrain").persisted).toBe(false);
    expect(new Catalog(entries, { root, pipeline: "train" }).lists("onlyTrain")).toBe(true);
    expect(capture.get("scratch").persisted).toBe(false);
  });

  it("pins --load-versions by the name the pipeline uses", () => {
    const versioned = { "train.model": { type: "json", path: "data/06_models/train/m.json", versioned: true } };
    expect(
      () => new Catalog(versioned, { root, pipeline: "train", loadVersions: { model: "2026-01-01T00.00.00.000Z" } }),
    ).not.toThrow();
  });
});
