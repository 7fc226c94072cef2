// A predict function that takes one record, not an array of them, is told to take an array: the server calls it with a batch.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { scratchDir } from "./fixtures.ts";

it("refuses a single-record `predict(stats: Stats)` saying it must take an array, not that it must take one parameter", async () => {
  const dir = scratchDir();
  const notebook = join(dir, "single.ipynb");
  const cells = [
    { cell_type: "code", metadata: { tags: ["parameters"] }, source: "const factor = 2;" },
    {
      cell_type: "code",
      metadata: { tags: ["predict"] },
      source:
        "interface Stats { hp: number }\nasync function predict(stats: Stats): Promise<number[]> {\n  return [stats.hp * factor];\n}",
    },
  ];
  writeFileSync(notebook, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  const failure = await planExtraction(notebook, { outDir: join(dir, "out") }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ExtractionFailed);
  const problem = (failure as ExtractionFailed).problems.find((p) => p.code === "predict-signature");
  expect(problem?.detail).toContain("an array of request records");
  expect(problem?.detail).not.toContain("must take one parameter,");
}, 60_000);
