import { Linter, type Rule } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import rule from "../../lint-rules/rules/extracted-uses-vars.ts";
import { asEslintRule, md, notebook, ruleTester, tagged } from "./rule-tester.ts";

const notebookCode = notebook(
  md("# T"),
  "//| node: train\n//| save: model\nconst model = 1;\nconst scratch = 2;",
  tagged(["node: score", "metrics"], "const accuracy = 0.9;"),
  "//| export\nfunction helper(): number { return 1; }",
  tagged(["predict"], "function predict(x: number): number { return x; }"),
  "const unused = 3;",
);

ruleTester.run("extracted-uses-vars", asEslintRule(rule), {
  valid: [{ code: notebookCode }, { code: "const x = 1;" }],
  invalid: [],
});

/** The messages of this rule together with typescript-eslint's no-unused-vars on `code`. */
function lintWithUnusedVars(code: string): Linter.LintMessage[] {
  return new Linter({ configType: "flat" }).verify(
    code,
    [
      {
        files: ["**/*.ts"],
        plugins: {
          cellforge: { rules: { "extracted-uses-vars": asEslintRule(rule) } },
          "@typescript-eslint": tseslint.plugin as unknown as { rules: Record<string, Rule.RuleModule> },
        },
        languageOptions: { parser: tseslint.parser },
        rules: { "cellforge/extracted-uses-vars": "error", "@typescript-eslint/no-unused-vars": "error" },
      },
    ],
    "notebook.ts",
  );
}

describe("extracted-uses-vars with no-unused-vars", () => {
  it("leaves only the names nothing consumes to no-unused-vars", () => {
    const messages = lintWithUnusedVars(notebookCode);
    expect(messages.map((m) => m.message)).toEqual([
      "'scratch' is assigned a value but never used.",
      "'unused' is assigned a value but never used.",
    ]);
  });

  it("counts destructured names of an export cell as consumed, as the extractor exports them", () => {
    const code = notebook(md("# T"), "//| export\nconst { a, b: [c, ...d] } = { a: 1, b: [2, 3] };\nconst e = 4;");
    const messages = lintWithUnusedVars(code);
    expect(messages).toEqual([]);
  });
});
