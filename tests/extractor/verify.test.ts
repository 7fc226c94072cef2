// Extraction type-checks what it generates and blames the cell: here a parameter that the notebook's code needs as a literal type.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { scratchDir } from "./fixtures.ts";

it("reports generated code that does not type-check, at the node's cell, with a hint about widened parameters", async () => {
  const dir = scratchDir();
  const notebook = join(dir, "widened.ipynb");
  const cells = [
    { cell_type: "code", metadata: { tags: ["parameters"] }, source: 'const mode = "fast";' },
    {
      cell_type: "code",
      metadata: {},
      source: '//| node: pick\nconst speed: "fast" | "slow" = mode;\nconsole.log(speed);',
    },
  ];
  writeFileSync(notebook, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  const failure = await planExtraction(notebook, { outDir: join(dir, "out") }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ExtractionFailed);
  const [problem, ...others] = (failure as ExtractionFailed).problems;
  expect(others).toEqual([]);
  expect(problem).toMatchObject({ code: "generated-type-error", cell: 2, line: 2 });
  expect(problem?.detail).not.toContain("nodes.ts");
  expect(problem?.detail).toContain("Type 'string' is not assignable to type '\"fast\" | \"slow\"'");
  expect(problem?.detail).toContain('annotate the parameter with it (e.g. `const mode: "relu" | "tanh" = "relu"`)');
});
