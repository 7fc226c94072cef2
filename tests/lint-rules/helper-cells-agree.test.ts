// Lint and extract agree on untagged helper cells: a pure one is shared code for both, one that cannot be gets the
// same one message, at the same cell and line, from both tools.
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import cellforge from "../../lint-rules/index.ts";
import { scratchDir } from "../extractor/fixtures.ts";
import { ROOT } from "./rule-tester.ts";

function eslint(): ESLint {
  return new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      ...cellforge.configs["recommended"]!,
      { files: ["**/*.ipynb/*.ts"], languageOptions: { parser: tseslint.parser } },
    ],
    ruleFilter: ({ ruleId }) => ruleId === "cellforge/node-inputs-extracted",
  });
}

describe("helper cells in lint and extract", () => {
  it("gives the same one message for a helper cell with a side effect", async () => {
    const path = "tests/fixtures/notebooks/extractor/helper-side-effects.ipynb";
    const [result] = await eslint().lintFiles([path]);
    const messages = result?.messages ?? [];
    const failure = await planExtraction(`${ROOT}${path}`, { outDir: scratchDir() }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ExtractionFailed);
    const problems = (failure as ExtractionFailed).problems;
    expect(messages).toHaveLength(1);
    expect(problems).toHaveLength(1);
    // ESLint prints "cell [4] (code cell 3, line 6): …"; extract prints the notebook path first.
    expect(`${path} ${messages[0]?.message}`).toBe(problems[0]?.message);
  });

  it("accepts the helper cell of capture.ipynb, as extract does", async () => {
    const [result] = await eslint().lintFiles(["tests/fixtures/notebooks/capture.ipynb"]);
    expect(result?.messages).toEqual([]);
  });
});
