// A CSV the notebook reads with danfojs options: the catalog entry keeps the ones it can (`load_args.delimiter`), in
// step with the notebook, and an option it cannot keep is refused, so the pipeline never reads the file otherwise.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { catalogUpToDate, mergeCatalogText } from "../../extractor/codegen/catalog.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, importGenerated, repoRoot, scratchDir } from "./fixtures.ts";

/** The fixture notebook with its load cell's options replaced by `options`, in a scratch folder. */
function withOptions(options: string): string {
  const path = join(scratchDir(), "csv-options.ipynb");
  const notebook = JSON.parse(readFileSync(fixture("csv-options"), "utf8")) as { cells: { source: string[] }[] };
  for (const cell of notebook.cells)
    cell.source = cell.source.map((line) => line.replace(', { delimiter: ";" }', options === "" ? "" : `, ${options}`));
  writeFileSync(path, JSON.stringify(notebook));
  return path;
}

describe("a CSV read with options", () => {
  it("is read by the pipeline with the notebook's delimiter", async () => {
    const out = join(scratchDir(), "csv-options");
    const plan = await planExtraction(fixture("csv-options"), { outDir: out });
    const entry = plan.catalog.find((e) => e.dataset === "points");
    expect(entry?.loadArgs).toEqual({ delimiter: ";" });
    const { text } = mergeCatalogText(undefined, plan.catalog, "catalog.yml");
    expect(text).toContain(
      "csv-options.points:\n  type: csv\n  path: tests/fixtures/data/semicolons.csv\n  load_args:\n    delimiter: ;\n",
    );

    const pipeline = await importGenerated(plan.files, out);
    const catalog = new Catalog(
      { points: { type: "csv", path: entry?.path ?? "", load_args: { delimiter: ";" } } },
      { root: repoRoot },
    );
    const result = await new PipelineScheduler({ catalog, params: {}, root: repoRoot }).run(pipeline);
    expect(result.freeOutputs).toEqual({ total: 6 });
  });

  it("keeps the catalog entry in step when the notebook's options change, and --check sees the drift", async () => {
    const catalogPath = join(scratchDir(), "catalog.yml");
    const before = await planExtraction(fixture("csv-options"), { outDir: scratchDir(), catalogPath });
    writeFileSync(catalogPath, mergeCatalogText(undefined, before.catalog, catalogPath).text);
    const after = await planExtraction(withOptions('{ delimiter: "\\t" }'), { outDir: scratchDir(), catalogPath });
    expect(await catalogUpToDate(catalogPath, after.catalog)).toBe(false);
    const merged = mergeCatalogText(readFileSync(catalogPath, "utf8"), after.catalog, catalogPath).text;
    expect(merged).toContain('load_args:\n    delimiter: "\\t"\n');
    const none = await planExtraction(withOptions(""), { outDir: scratchDir(), catalogPath });
    expect(mergeCatalogText(merged, none.catalog, catalogPath).text).not.toContain("load_args");
  });

  it("refuses an option the catalog cannot keep, saying what to do", async () => {
    const failure = await planExtraction(withOptions('{ delimiter: ";", header: false }'), {
      outDir: scratchDir(),
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExtractionFailed);
    expect((failure as ExtractionFailed).problems.map((p) => p.detail)).toEqual([
      expect.stringContaining(
        "passes `dfd.readCSV` the option `header: false`, which the catalog cannot record (a csv dataset's `load_args` take `delimiter` as a string literal), so the pipeline would read the file otherwise than the notebook",
      ),
    ]);
  });
});
