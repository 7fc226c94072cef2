// The runtime reads a parameters cell with @cellforge/contract (TypeScript 5.9), the extractor with ts-morph (which
// bundles its own TypeScript): on every notebook that extracts, both must find the same parameters and defaults.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { declaredParameters, notebookDirectives, parseNotebook } from "@cellforge/contract";
import { analyzeNotebook } from "../../extractor/analysis/analyze.ts";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { repoRoot } from "../extractor/fixtures.ts";

const notebooks = [
  "notebooks/train.ipynb",
  "tests/fixtures/notebooks/extractor/pokemon.ipynb",
  "tests/fixtures/notebooks/second/second.ipynb",
  "tests/fixtures/notebooks/capture.ipynb",
];

describe("the parameters cell read by the runtime and by the extractor", () => {
  it.each(notebooks)("gives the same names and defaults in %s", (source) => {
    const path = join(repoRoot, source);
    const notebook = parseNotebook(readFileSync(path, "utf8"), path);
    const directives = notebookDirectives(notebook);
    let model;
    try {
      model = analyzeNotebook({ notebook, absolutePath: path, source, name: "p", directives, projectRoot: repoRoot });
    } catch (error) {
      if (error instanceof ExtractionFailed)
        throw new Error(`${relative(repoRoot, path)} does not extract: ${error.message}`, { cause: error });
      throw error;
    }
    const cells = directives.cells
      .filter((cell) => cell.role === "parameters")
      .map((cell) => notebook.cells[cell.cell - 1]?.source ?? "");
    const fromContract = cells.flatMap(declaredParameters).map((p) => ({ name: p.name, value: p.value }));
    expect(fromContract.length).toBeGreaterThan(0);
    expect(fromContract).toEqual(model.parameters.map((p) => ({ name: p.name, value: p.value })));
  });

  it("gives arithmetic of literals the same value (60 * 1000 is 60000), and refuses the same computed values", () => {
    const path = join(repoRoot, "notebooks/arithmetic.ipynb");
    const source =
      "const timeoutMs = 60 * 1000;\nconst rate = 1 / 4;\nconst units = 2 ** 5;\nconst shift = +3 - -2;\nconst bucket = ((1 + 2) * 3) % 4;";
    const notebook = parseNotebook(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: "code", metadata: { tags: ["parameters"] }, source, outputs: [], execution_count: null }],
      }),
      path,
    );
    const directives = notebookDirectives(notebook);
    const model = analyzeNotebook({
      notebook,
      absolutePath: path,
      source: "notebooks/arithmetic.ipynb",
      name: "a",
      directives,
      projectRoot: repoRoot,
    });
    const expected = [
      { name: "timeoutMs", value: 60000 },
      { name: "rate", value: 0.25 },
      { name: "units", value: 32 },
      { name: "shift", value: 5 },
      { name: "bucket", value: 1 },
    ];
    expect(model.parameters.map((p) => ({ name: p.name, value: p.value }))).toEqual(expected);
    expect(declaredParameters(source).map((p) => ({ name: p.name, value: p.value }))).toEqual(expected);
    // A division by zero has no JSON value, and a name is no literal: neither reading gives them one.
    expect(
      declaredParameters("const bad = 1 / 0;\nconst lr = 0.1;\nconst decay = lr / 10;").map((p) => p.value),
    ).toEqual([undefined, 0.1, undefined]);
  });
});
