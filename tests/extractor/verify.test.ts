// Extraction type-checks what it generates and blames the cell: here a parameter that the notebook's code needs as a literal type.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction, writeExtraction } from "../../extractor/cli/extract.ts";
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

// Verification builds on the modules extracted last time (same paths, same imports: TypeScript reuses the program's
// structure). What it reports must still be about the new code only.
it("checks an edited notebook's new modules, not the ones extracted before, when the out folder holds them", async () => {
  const dir = scratchDir();
  const notebook = join(dir, "edited.ipynb");
  const write = (cells: Array<{ source: string }>): void =>
    writeFileSync(
      notebook,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: cells.map((cell) => ({ cell_type: "code", metadata: {}, ...cell })),
      }),
    );
  const parameters = { source: "//| parameters\nconst factor = 2;" };
  const helper = { source: "//| export\nexport function double(x: number): number {\n  return x * 2;\n}" };
  const out = join(dir, "out");
  write([parameters, helper, { source: "//| node: scale\nconst scaled: number = double(21);" }]);
  await writeExtraction(await planExtraction(notebook, { outDir: out }));
  const before = readFileSync(join(out, "nodes.ts"), "utf8");
  expect(existsSync(join(out, "shared.ts"))).toBe(true);

  // Same imports, a type error in the node's new code.
  write([
    parameters,
    helper,
    { source: '//| node: scale\nconst scaled: number = double(21);\nconst label: number = "x";' },
  ]);
  const failure = await planExtraction(notebook, { outDir: out }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ExtractionFailed);
  expect((failure as ExtractionFailed).problems).toMatchObject([{ code: "generated-type-error", cell: 3, line: 3 }]);
  expect((failure as ExtractionFailed).problems[0]?.detail).toContain(
    "Type 'string' is not assignable to type 'number'",
  );

  // The helper cell is gone: the shared.ts extracted before must not make `double` resolve.
  write([parameters, { source: "//| node: scale\nconst scaled: number = double(21);" }]);
  const missing = await planExtraction(notebook, { outDir: out }).catch((error: unknown) => error);
  expect(missing).toBeInstanceOf(ExtractionFailed);
  expect((missing as ExtractionFailed).problems.map((p) => p.detail).join("\n")).toContain("double");

  // Fixed again: extracts, and nothing on disk changed along the way.
  write([parameters, helper, { source: "//| node: scale\nconst scaled: number = double(21) + 1;" }]);
  const plan = await planExtraction(notebook, { outDir: out });
  expect(plan.files.find((file) => file.name === "nodes.ts")?.text).toContain("double(21) + 1");
  expect(readFileSync(join(out, "nodes.ts"), "utf8")).toBe(before);
});
