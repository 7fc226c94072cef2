// Extraction of the fixture notebooks, compared byte for byte with the reviewed golden outputs (UPDATE_GOLDEN=1 rewrites them).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { mergeCatalogText } from "../../extractor/codegen/catalog.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { formatProblems } from "../../extractor/cli/report.ts";
import { fixture, golden, GOLDEN_VERSION } from "./fixtures.ts";

const update = process.env["UPDATE_GOLDEN"] === "1";

function expectGolden(path: string, actual: string): void {
  if (update) {
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual, `${path} differs from the extractor's output; review the change and rerun with UPDATE_GOLDEN=1`).toBe(
    readFileSync(path, "utf8"),
  );
}

describe("extracting fixture notebooks", () => {
  for (const name of ["pokemon", "dataflow"]) {
    it(`writes ${name}.ipynb as the golden modules and catalog entries`, async () => {
      const dir = golden(name);
      const plan = await planExtraction(fixture(name), { outDir: dir, extractorVersion: GOLDEN_VERSION });
      const files = new Map(plan.files.map((f) => [f.name, f.text]));
      files.set("catalog.yml", mergeCatalogText(undefined, plan.catalog, "catalog.yml").text);
      for (const [file, text] of files) expectGolden(join(dir, file), text);
      expect(readdirSync(dir).sort()).toEqual([...files.keys()].sort());
      expect(plan.warnings).toEqual([]);
    });
  }

  it("extracts warnings.ipynb and reports an `any` boundary, mutated inputs and an exploration cell changing a node input as warnings", async () => {
    const plan = await planExtraction(fixture("warnings"), {
      outDir: golden("warnings"),
      extractorVersion: GOLDEN_VERSION,
    });
    expect(plan.files.map((f) => f.name)).toEqual(["nodes.ts", "parameters.ts", "pipeline.ts"]);
    expectGolden(golden("warnings.txt"), `${formatProblems(plan.warnings)}\n`);
  });

  it("reports every error of errors.ipynb together, sorted by cell, and writes nothing", async () => {
    const failure = await planExtraction(fixture("errors"), {
      outDir: golden("errors"),
      extractorVersion: GOLDEN_VERSION,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExtractionFailed);
    const { problems, message } = failure as ExtractionFailed;
    expect(problems.map((p) => p.cell)).toEqual([...problems.map((p) => p.cell)].sort((a, b) => a - b));
    expectGolden(golden("errors.txt"), `${formatProblems(problems)}\n${message}\n`);
    expect(existsSync(golden("errors"))).toBe(false);
  });
});
