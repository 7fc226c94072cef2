import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILTIN_DATASET_TYPES, builtinDatasetTypeNames } from "@cellforge/contract";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { builtinDatasetTypes } from "../../../runtime/catalog/dataset-types.ts";
import { FileDataset } from "../../../runtime/catalog/file-dataset.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-contract-types-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the runtime registers exactly the built-in dataset types the contract lists to the extractor", () => {
  it("same names", () => {
    expect(builtinDatasetTypes().names()).toEqual(builtinDatasetTypeNames());
  });

  it("each stores its data as the contract says (file, folder, database or memory)", () => {
    const types = builtinDatasetTypes();
    for (const name of builtinDatasetTypeNames()) {
      const type = types.get(name)!;
      const entry = {
        type: name,
        ...(type.options["path"] === undefined ? {} : { path: `data/${name}` }),
        ...(type.options["table"] === undefined ? {} : { table: "t" }),
        ...(type.options["query"] === undefined ? {} : { query: "select 1" }),
      };
      const dataset = type.create(name, entry, { root, saveVersion: "v" });
      const storage =
        dataset instanceof FileDataset
          ? dataset.folder
            ? "folder"
            : "file"
          : dataset.persisted
            ? "database"
            : "memory";
      expect({ name, storage, type: dataset.type }).toEqual({
        name,
        storage: BUILTIN_DATASET_TYPES[name].storage,
        type: name,
      });
    }
  });
});
