// A node giving an earlier cell's variable a new value (`df = df.dropNa()`) or changing it in place (`model.fit(…)` on a
// model an earlier node built), as notebooks are written: the pipeline passes each new value on as a dataset of its own,
// so it computes, saves and serves what the notebook did.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { ExtractionFailed, type ExtractionProblem } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, importGenerated, repoRoot, scratchDir } from "./fixtures.ts";

describe("a node that gives an earlier cell's variable a new value or changes it in place", () => {
  it("passes the new value to the cells after it, as the notebook does", async () => {
    const out = join(scratchDir(), "rebinding");
    const plan = await planExtraction(fixture("rebinding"), { outDir: out });
    expect(plan.warnings).toEqual([]);
    const files = new Map(plan.files.map((f) => [f.name, f.text]));
    const nodes = files.get("nodes.ts") ?? "";
    // The generated function reads the old value and returns the new one under the dataset's name.
    expect(nodes).toMatch(
      /export function clean\(\s*values: number\[\],\s*floor: number,\s*total: number,?\s*\): \{ "values@clean": number\[\]; "total@clean": number \} \{/,
    );
    expect(nodes).toContain('return { "values@clean": values, "total@clean": total };');
    const wiring = files.get("pipeline.ts") ?? "";
    expect(wiring).toMatch(
      /name: "clean",[\s\S]*?inputs: \["values", "params:floor", "total"\],\s*outputs: \["values@clean", "total@clean"\]/,
    );
    expect(wiring).toMatch(
      /name: "scale",[\s\S]*?inputs: \["values@clean", "total@clean"\],\s*outputs: \["values@scale", "total@scale"\]/,
    );
    expect(wiring).toMatch(/name: "report",[\s\S]*?inputs: \["total@scale", "seen", "values@scale"\]/);

    // Run it: [3, 1, 2] → kept ≥ 2: [3, 2] → doubled: [6, 4]; total 0 → 2 → 3 of the 3 seen.
    const pipeline = await importGenerated(plan.files, out);
    const catalog = new Catalog(
      { values: { type: "json", path: "tests/fixtures/data/numbers.json" } },
      { root: repoRoot },
    );
    const result = await new PipelineScheduler({ catalog, params: pipeline.parameters.defaults, root: repoRoot }).run(
      pipeline,
    );
    expect(result.freeOutputs).toEqual({ kept: 1, largest: 6 });
  });

  it("saves and serves a model that a later node trains in place, and the cells after it read the trained one", async () => {
    const out = join(scratchDir(), "in-place");
    const plan = await planExtraction(fixture("in-place"), { outDir: out });
    expect(plan.warnings).toEqual([]);
    // The catalog entry `model` is the trained value, saved by the cell that trains it.
    expect(plan.catalog.map((entry) => [entry.name, entry.type])).toContainEqual(["in-place.model", "json"]);
    const files = new Map(plan.files.map((f) => [f.name, f.text]));
    const wiring = files.get("pipeline.ts") ?? "";
    expect(wiring).toMatch(/name: "build",[\s\S]*?outputs: \["model@build", "history"\]/);
    expect(wiring).toMatch(
      /name: "train",[\s\S]*?inputs: \["model@build", "values", "history"\],\s*outputs: \["model", "history@train"\]/,
    );
    expect(wiring).toMatch(/name: "report",[\s\S]*?inputs: \["model", "history@train"\]/);

    const pipeline = await importGenerated(plan.files, out);
    const catalog = new Catalog(
      {
        values: { type: "json", path: "tests/fixtures/data/numbers.json" },
        model: { type: "json", path: join(out, "model.json") },
      },
      { root: repoRoot },
    );
    // [3, 1, 2]: the trained model has seen 3 values of mean 2, and the history the training pushed has one entry.
    const result = await new PipelineScheduler({ catalog, params: {}, root: repoRoot }).run(pipeline);
    expect(result.freeOutputs).toEqual({ fitted: 3, epochs: 1 });
    const saved = await catalog.get("model").load();
    expect(saved).toEqual({ count: 3, total: 6 });
    const predict = pipeline.predict!.create({ model: saved }, {}) as (rows: { x: number }[]) => { y: number }[];
    expect(predict([{ x: 1 }])).toEqual([{ y: 3 }]);
  });

  it("warns where an in-place change and the pipeline's order may disagree: saved before it, read beside it", async () => {
    const plan = await planExtraction(fixture("in-place-warnings"), { outDir: scratchDir() });
    expect(plan.warnings.map((w) => [w.code, w.at.code, w.line])).toEqual([
      ["saved-before-change", 2, 3],
      ["read-before-change", 3, 2],
    ]);
    expect(plan.warnings[0]?.detail).toBe(
      "`save: model` in code cell 2 saves `model` as this cell leaves it, and node `train` in code cell 4 changes `model` in place (it calls `fit` on it) afterwards: to save the changed value (the trained model), move `save: model` to code cell 4.",
    );
    expect(plan.warnings[1]?.detail).toContain(
      "node `peek` in code cell 3 reads `model` before node `train` in code cell 4 changes `model` in place (it calls `fit` on it), but the pipeline may run the two in either order",
    );
  });

  it("refuses what the pipeline cannot carry: a change made by exploration, a loaded file's name saved, an unsaved value served", async () => {
    const failure = await planExtraction(fixture("rebinding-errors"), { outDir: scratchDir() }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExtractionFailed);
    const problems = (failure as ExtractionFailed).problems;
    const byCode = (code: string): ExtractionProblem | undefined => problems.find((p) => p.code === code);
    expect(problems.map((p) => [p.code, p.at.code, p.line])).toEqual([
      ["exploration-reassigns", 3, 1],
      ["rebound-save", 5, 4],
      ["predict-not-saved", 6, 4],
    ]);
    expect(byCode("exploration-reassigns")?.detail).toBe(
      "exploration code cell 3 assigns a new value to `values`, and node `sum` in code cell 4 reads it afterwards: the notebook runs that cell on the changed value, the pipeline on the value of code cell 2. Tag code cell 3 `node` so the pipeline makes the same change, or assign to a new variable there.",
    );
    expect(byCode("rebound-save")?.detail).toContain(
      "the catalog entry `values` is the file the `load` code cell 2 reads, and this cell gives `values` a new value",
    );
    expect(byCode("predict-not-saved")?.detail).toBe(
      "the predict function reads `sum` as node `halve` in code cell 5 leaves it (that cell assigns it a new value), which is not saved: add `save: sum` to code cell 5 so the served model loads that value.",
    );
  });
});
