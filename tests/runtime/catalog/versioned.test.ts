import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { versionAt } from "../../../runtime/catalog/versioning.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-versions-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const entries = {
  scores: { type: "json", path: "data/scores.json", versioned: true },
  plain: { type: "json", path: "data/plain.json" },
};
const first = versionAt(new Date("2026-01-01T10:00:00.000Z"));
const second = versionAt(new Date("2026-01-02T10:00:00.000Z"));

describe("versioned datasets", () => {
  it("keep one timestamped folder per save (path/<version>/<file>) and load the latest", async () => {
    await new Catalog(entries, { root, saveVersion: first }).save("scores", { run: 1 });
    await new Catalog(entries, { root, saveVersion: second }).save("scores", { run: 2 });
    expect(first).toBe("2026-01-01T10.00.00.000Z");
    expect(readdirSync(join(root, "data/scores.json")).sort()).toEqual([first, second]);
    expect(existsSync(join(root, "data/scores.json", second, "scores.json"))).toBe(true);
    const catalog = new Catalog(entries, { root });
    expect(await catalog.load("scores")).toEqual({ run: 2 });
    expect(catalog.get("scores").describe()).toMatchObject({ versioned: true, path: "data/scores.json" });
  });

  it("load a pinned version (--load-versions)", async () => {
    await new Catalog(entries, { root, saveVersion: first }).save("scores", { run: 1 });
    await new Catalog(entries, { root, saveVersion: second }).save("scores", { run: 2 });
    const pinned = new Catalog(entries, { root, loadVersions: { scores: first } });
    expect(await pinned.load("scores")).toEqual({ run: 1 });
    expect(pinned.get("scores").describe().loadVersion).toBe(first);
  });

  it("say which versions exist when the pinned one does not", async () => {
    await new Catalog(entries, { root, saveVersion: first }).save("scores", { run: 1 });
    const pinned = new Catalog(entries, { root, loadVersions: { scores: "2020-01-01T00.00.00.000Z" } });
    await expect(pinned.load("scores")).rejects.toThrow(
      `Dataset \`scores\` has no version \`2020-01-01T00.00.00.000Z\` (available: ${first}).`,
    );
  });

  it("refuse --load-versions for a dataset that is not versioned", () => {
    expect(() => new Catalog(entries, { root, loadVersions: { plain: first } })).toThrow(
      /`plain`, which is not a versioned dataset in the catalog \(versioned: scores\)/,
    );
  });

  it("say there is no version yet", async () => {
    await expect(new Catalog(entries, { root }).load("scores")).rejects.toThrow(
      "Dataset `scores` has no file at data/scores.json. It has no saved version yet.",
    );
  });

  it("count as absent before their first save, files and folders alike: no files, no digest", async () => {
    const catalog = new Catalog(
      { ...entries, model: { type: "tfjs-model", path: "data/06_models/model", versioned: true } },
      { root },
    );
    for (const name of ["scores", "model"]) {
      const dataset = catalog.get(name);
      expect(await dataset.exists()).toBe(false);
      expect(await dataset.files()).toEqual([]);
      expect(await dataset.digest()).toBeUndefined();
    }
  });
});
