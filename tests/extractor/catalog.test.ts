// Merging catalog entries into conf/base/catalog.yml: missing entries are added, the user's comments and edits stay.
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  catalogUpToDate,
  CatalogError,
  mergeCatalog,
  mergeCatalogText,
  missingCatalogEntries,
  type CatalogEntry,
} from "../../extractor/codegen/catalog.ts";
import { scratchDir } from "./fixtures.ts";

const entries: CatalogEntry[] = [
  {
    name: "train.pokemon",
    dataset: "pokemon",
    pipeline: "train",
    type: "csv",
    path: "data/01_raw/pokemon.csv",
    comment: " Loaded by notebooks/train.ipynb code cell 4",
  },
  {
    name: "train.model",
    dataset: "model",
    pipeline: "train",
    type: "tfjs-model",
    path: "data/06_models/train/model",
    comment: " Saved by notebooks/train.ipynb code cell 13",
  },
];

const userCatalog = `# Our datasets. The extractor adds what is missing and leaves the rest alone.
train.pokemon:
  type: csv
  path: data/01_raw/kaggle-pokemon.csv # the real Kaggle file
  versioned: true
`;

describe("catalog merge", () => {
  it("adds only missing entries and keeps the user's comments and edited entry byte for byte", () => {
    const { text, added } = mergeCatalogText(userCatalog, entries, "catalog.yml");
    expect(added).toEqual(["train.model"]);
    expect(text).toBe(
      `${userCatalog}# Saved by notebooks/train.ipynb code cell 13\ntrain.model:\n  type: tfjs-model\n  path: data/06_models/train/model\n`,
    );
  });

  it("writes what a DuckDB-backed table hands the node (`as: arrow`) under its type and path", () => {
    const arrow: CatalogEntry = {
      name: "speeds.pokemon",
      dataset: "pokemon",
      pipeline: "speeds",
      type: "parquet",
      path: "data/01_raw/pokemon.parquet",
      as: "arrow",
      comment: " Loaded by notebooks/speeds.ipynb code cell 3",
    };
    expect(mergeCatalogText(undefined, [arrow], "catalog.yml").text).toBe(
      "# Loaded by notebooks/speeds.ipynb code cell 3\nspeeds.pokemon:\n  type: parquet\n  path: data/01_raw/pokemon.parquet\n  as: arrow\n",
    );
  });

  it("keeps an entry the user gave a project-defined type (registered in cellforge.hooks.ts): neither rejected nor overwritten", async () => {
    const custom = "train.model:\n  type: onnx-model\n  path: data/06_models/train/model.onnx\n  opset: 17\n";
    const { text, added } = mergeCatalogText(custom, entries, "catalog.yml");
    expect(added).toEqual(["train.pokemon"]);
    expect(text.startsWith(custom)).toBe(true);
    const dir = scratchDir();
    const path = join(dir, "catalog.yml");
    writeFileSync(path, text);
    expect(await catalogUpToDate(path, entries)).toBe(true);
  });

  it("creates the catalog when there is none, and changes nothing when all entries exist", () => {
    const created = mergeCatalogText(undefined, entries, "catalog.yml");
    expect(created.added).toEqual(["train.pokemon", "train.model"]);
    expect(mergeCatalogText(created.text, entries, "catalog.yml")).toEqual({ text: created.text, added: [] });
  });

  it("writes atomically, leaves no temp file, and does not rewrite an up-to-date catalog", async () => {
    const dir = scratchDir();
    const path = join(dir, "conf/base/catalog.yml");
    expect(await mergeCatalog(path, entries)).toEqual(["train.pokemon", "train.model"]);
    expect(readdirSync(join(dir, "conf/base"))).toEqual(["catalog.yml"]);
    const before = statSync(path).mtimeMs;
    expect(await mergeCatalog(path, entries)).toEqual([]);
    expect(statSync(path).mtimeMs).toBe(before);
    expect(await missingCatalogEntries(path, entries)).toEqual([]);
  });

  it("reports entries a catalog lacks, and a catalog that is not a mapping", async () => {
    const dir = scratchDir();
    const path = join(dir, "catalog.yml");
    writeFileSync(path, userCatalog);
    expect((await missingCatalogEntries(path, entries)).map((e) => e.name)).toEqual(["train.model"]);
    writeFileSync(path, "- a list\n- is not a catalog\n");
    await expect(mergeCatalog(path, entries)).rejects.toThrow(CatalogError);
    expect(readFileSync(path, "utf8")).toBe("- a list\n- is not a catalog\n");
  });

  it("rewrites a comment it wrote when the cell moved (code cells added above), and leaves a comment of the user's", () => {
    const stale =
      "# Loaded by notebooks/train.ipynb cell 8\ntrain.pokemon:\n  type: csv\n  path: data/01_raw/pokemon.csv\n# Saved by notebooks/train.ipynb code cell 11\ntrain.model:\n  type: tfjs-model\n  path: data/06_models/train/model\n";
    const { text, added } = mergeCatalogText(stale, entries, "catalog.yml");
    expect(added).toEqual([]);
    expect(text).toBe(stale.replace("cell 8", "code cell 4").replace("code cell 11", "code cell 13"));
    expect(mergeCatalogText(userCatalog, entries, "catalog.yml").text).toContain(
      "# Our datasets. The extractor adds what is missing and leaves the rest alone.\ntrain.pokemon:",
    );
  });

  it("reports a catalog whose comments are stale as not up to date, so extract --check asks for an extract", async () => {
    const dir = scratchDir();
    const path = join(dir, "catalog.yml");
    await mergeCatalog(path, entries);
    expect(await catalogUpToDate(path, entries)).toBe(true);
    writeFileSync(path, readFileSync(path, "utf8").replace("code cell 13", "code cell 12"));
    expect(await catalogUpToDate(path, entries)).toBe(false);
    expect(await missingCatalogEntries(path, entries)).toEqual([]);
  });

  it("takes an un-namespaced entry as the pipeline's only when its `pipelines` lists the pipeline (sharing is explicit)", () => {
    const legacy = "model:\n  type: tfjs-model\n  path: data/06_models/model\n";
    expect(mergeCatalogText(legacy, entries, "catalog.yml").added).toEqual(["train.pokemon", "train.model"]);
    const shared = "model:\n  type: tfjs-model\n  path: data/06_models/model\n  pipelines: [train, capture]\n";
    expect(mergeCatalogText(shared, entries, "catalog.yml").added).toEqual(["train.pokemon"]);
  });
});
