// A cell importing a module of the project (`./src/features.ts`): cellforge's kernel runs the notebook in the project
// root, so the path is read from there, by extract as by the kernel, and the generated modules import the same file.
import { join } from "node:path";
import { expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, importGenerated, repoRoot, scratchDir } from "./fixtures.ts";

it("imports a module by its path from the project root, and the pipeline runs with it", async () => {
  const out = join(scratchDir(), "project-module");
  const plan = await planExtraction(fixture("project-module"), { outDir: out });
  const nodes = plan.files.find((f) => f.name === "nodes.ts")?.text ?? "";
  // The same file, from the generated module's folder (.tmp/extractor-tests/run-…/project-module/).
  expect(nodes).toContain('import { scale } from "../../../../tests/fixtures/modules/scale.ts";');

  const pipeline = await importGenerated(plan.files, out);
  const catalog = new Catalog(
    { values: { type: "json", path: "tests/fixtures/data/numbers.json" } },
    { root: repoRoot },
  );
  const result = await new PipelineScheduler({ catalog, params: {}, root: repoRoot }).run(pipeline);
  expect(result.freeOutputs).toEqual({ total: 12 });
});

it("refuses a path written from the notebook's folder, which the kernel does not find, naming the one to write", async () => {
  const failure = await planExtraction(fixture("project-module-from-notebook"), { outDir: scratchDir() }).catch(
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ExtractionFailed);
  const [problem] = (failure as ExtractionFailed).problems;
  expect([problem?.code, problem?.at.code, problem?.line]).toEqual(["import-unresolved", 1, 2]);
  expect(problem?.detail).toContain(
    "imports `../../modules/scale.ts`, which is no module relative to the project root, the folder the kernel runs the notebook in",
  );
  expect(problem?.detail).toContain(
    "It is a file relative to the notebook's folder: write `./tests/fixtures/modules/scale.ts`.",
  );
});
