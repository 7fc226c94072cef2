// Extract errors as a user meets them: each names the cell and line as Jupyter shows them, once, with the fix.
import { describe, expect, it } from "vitest";
import { ExtractionFailed, type ExtractionProblem } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, repoRoot, scratchDir } from "./fixtures.ts";

async function problemsOf(name: string): Promise<readonly ExtractionProblem[]> {
  const failure = await planExtraction(fixture(name), { outDir: scratchDir() }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ExtractionFailed);
  return (failure as ExtractionFailed).problems;
}

describe("extract errors point at the notebook cell", () => {
  it("reports a directive typo once, with its hint, and none of the errors that follow from it", async () => {
    const problems = await problemsOf("directive-typo");
    expect(problems.map((p) => p.message)).toEqual([
      `${"tests/fixtures/notebooks/extractor/directive-typo.ipynb"} cell [3] (code cell 3, line 1): unknown directive \`//| nod: prepare\`: did you mean \`node\`?`,
    ]);
  });

  it("reports a syntax error in a node cell as a parse error at its cell and line, never a generated file's line", async () => {
    const [problem, ...others] = await problemsOf("syntax-error");
    expect(others).toEqual([]);
    expect(problem?.code).toBe("syntax-error");
    expect(problem?.message).toMatch(
      /syntax-error\.ipynb cell \[7\] \(code cell 3, line 7\): parse error: '\)' expected\./,
    );
    expect(problem?.message).not.toMatch(/nodes\.ts|type-check/);
  });

  it("reports a load path that does not exist, naming the path and the project root it was resolved from", async () => {
    const [problem, ...others] = await problemsOf("missing-load-path");
    expect(others).toEqual([]);
    expect(problem?.code).toBe("load-path-missing");
    expect(problem?.message).toContain("cell [2] (code cell 2, line 2): `data/01_raw/pokemn.csv` does not exist");
    expect(problem?.detail).toContain(`from the project root (${repoRoot.replace(/\/$/, "")})`);
    expect(problem?.detail).toContain("Did you mean `data/01_raw/pokemon.csv`?");
  });

  it("refuses a load path held in a variable, at the call, saying to write the path itself", async () => {
    const [problem, ...others] = await problemsOf("load-path-variable");
    expect(others).toEqual([]);
    expect(problem?.message).toContain(
      "code cell 3, line 2: the `load` cell declares `pokemon`, which passes `readCSV` the variable `dataPath` instead of the path itself",
    );
    expect(problem?.message).toContain('write `dfd.readCSV("data/01_raw/pokemon.csv")`');
  });

  it("refuses a Buffer made text and danfojs's readJSON in a load cell, each saying what to write instead", async () => {
    const problems = await problemsOf("load-habits");
    expect(problems.map((p) => [p.code, p.at.code, p.line])).toEqual([
      ["load-not-reader", 2, 2],
      ["load-not-reader", 3, 2],
    ]);
    expect(problems[0]?.detail).toContain(
      'reads `readFileSync("data/01_raw/pokemon.csv")` as a Buffer and calls `toString()` on it, which the catalog cannot record: write `readFileSync("data/01_raw/pokemon.csv", "utf8")`',
    );
    expect(problems[1]?.detail).toContain(
      'write `JSON.parse(await readFile("data/01_raw/kanto.json", "utf8"))` (a json dataset) and build the DataFrame in a node',
    );
  });

  it("gives one error for a helper cell with a side effect, at that statement, with the fix", async () => {
    const [problem, ...others] = await problemsOf("helper-side-effects");
    expect(others).toEqual([]);
    expect(problem?.code).toBe("helper-not-shareable");
    expect(problem?.message).toContain(
      "cell [4] (code cell 3, line 6): untagged cell [4] (code cell 3) declares `ratio` and `STATS`",
    );
    expect(problem?.detail).toContain(
      "move that statement into another cell (the rest is then shared code), or tag the cell `export`",
    );
    expect(problem?.detail).not.toContain("tag it `node`");
  });

  it("says a node's input is not narrowed as in the notebook, where a later cell uses what another assigned", async () => {
    const [problem, ...others] = await problemsOf("narrowed-input");
    expect(others).toEqual([]);
    expect(problem?.message).toContain(
      "code cell 5, line 3: 'largest' is possibly 'undefined' (`const half = largest / 2;`)",
    );
    expect(problem?.detail).toContain(
      "`largest` comes into node `use` with its declared type, `number | undefined`: the notebook narrows it after a cell assigns it, a node's input is not narrowed",
    );
    expect(problem?.detail).not.toContain("noUncheckedIndexedAccess");
  });

  it("reports strict-mode errors of ordinary code at the cell and line, once each, with a one-line fix", async () => {
    const problems = await problemsOf("possibly-undefined");
    expect(problems.map((p) => [p.at.code, p.line])).toEqual([
      [3, 2], // the helper cell, lifted into shared.ts: once, at its own cell
      [4, 5],
    ]);
    for (const problem of problems) {
      expect(problem.detail).toMatch(/^Object is possibly 'undefined' \(`.*`\)\. .*add a `!`.*a default.*or a guard/);
      expect(problem.detail).not.toMatch(/generated|Parameters are widened/);
    }
  });
});
