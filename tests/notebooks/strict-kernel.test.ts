// The kernel checks cells as strictly as extract: what runs in Jupyter extracts, and what extract refuses fails in
// Jupyter first, at the same cell and line. Real tslab kernel (cellforge nb run), real extractor.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { scratchDir } from "../extractor/fixtures.ts";
import { fixture, kernelsUnder, runCli, tempRoot } from "../runtime/kernel/support.ts";

const root = tempRoot();
// TMPDIR puts the kernels' connection files under root, so kernelsUnder(root) sees exactly ours.
const env = { TMPDIR: root.path };
afterEach(() => {
  expect(kernelsUnder(root.path)).toEqual([]);
});
afterAll(() => root.remove());

const NOT_A_NUMBER = "Type 'number | undefined' is not assignable to type 'number'.";

describe("the TypeScript kernel is as strict as extract", () => {
  it("fails `const first: number = rows[0]` at the cell and line extract names, with the same error", { timeout: 120_000 }, async () => {
    const notebook = fixture("strict-index.ipynb");
    const result = await runCli(["nb", "run", notebook], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cell [1] (code cell 1) failed: TSError: 3:7 - ${NOT_A_NUMBER}`);
    expect(result.stderr).not.toContain("never runs");
    // Printed once, not as the error and again as its traceback.
    expect(result.stderr.split(NOT_A_NUMBER)).toHaveLength(2);

    const failure = await planExtraction(notebook, { outDir: scratchDir() }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExtractionFailed);
    const [problem, ...others] = (failure as ExtractionFailed).problems;
    expect(others).toEqual([]);
    expect(problem?.message).toContain(`code cell 1, line 3: ${NOT_A_NUMBER}`);
  });

  it("takes its strictness from the project's tsconfig.json: without noUncheckedIndexedAccess the same cell runs", { timeout: 120_000 }, async () => {
    const project = join(root.path, "lenient-project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), "{}\n");
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true } }));
    const result = await runCli(["nb", "run", fixture("strict-index.ipynb"), "--cwd", project], { env });
    expect(result.stderr).toContain("ran to the end");
    expect(result.code).toBe(0);
  });
});
