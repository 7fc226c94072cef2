// A node giving an earlier cell's variable a new value (`df = df.dropNa()`), as notebooks are written: the pipeline
// passes each new value on as a dataset of its own, so it computes what the notebook computed.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import type { Pipeline } from "../../runtime/pipeline/definition.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { ExtractionFailed, type ExtractionProblem } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, repoRoot, scratchDir } from "./fixtures.ts";

describe("a node that gives an earlier cell's variable a new value", () => {
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
    mkdirSync(out, { recursive: true });
    for (const [name, text] of files) writeFileSync(join(out, name), text);
    const pipeline = ((await import(join(out, "pipeline.ts"))) as { default: Pipeline }).default;
    const catalog = new Catalog(
      { values: { type: "json", path: "tests/fixtures/data/numbers.json" } },
      { root: repoRoot },
    );
    const result = await new PipelineScheduler({ catalog, params: pipeline.parameters.defaults, root: repoRoot }).run(
      pipeline,
    );
    expect(result.freeOutputs).toEqual({ kept: 1, largest: 6 });
  });

  it("refuses what the pipeline cannot carry: a change made by exploration, a saved or served new value", async () => {
    const failure = await planExtraction(fixture("rebinding-errors"), { outDir: scratchDir() }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExtractionFailed);
    const problems = (failure as ExtractionFailed).problems;
    const byCode = (code: string): ExtractionProblem | undefined => problems.find((p) => p.code === code);
    expect(problems.map((p) => [p.code, p.at.code, p.line])).toEqual([
      ["exploration-reassigns", 3, 1],
      ["rebound-save", 5, 3],
      ["predict-not-saved", 6, 4],
    ]);
    expect(byCode("exploration-reassigns")?.detail).toBe(
      "exploration code cell 3 assigns a new value to `values`, and node `sum` in code cell 4 reads it afterwards: the notebook runs that cell on the changed value, the pipeline on the value of code cell 2. Tag code cell 3 `node` so the pipeline makes the same change, or assign to a new variable there.",
    );
    expect(byCode("rebound-save")?.detail).toContain(
      "this cell assigns a new value to `sum`, which code cell 4 declares, and a saved dataset is one variable's value",
    );
    expect(byCode("predict-not-saved")?.detail).toContain(
      "the predict function reads `sum`, which node `halve` in code cell 5 assigns a new value after code cell 4 declares it",
    );
  });
});
