import rule from "../../lint-rules/rules/no-committed-outputs.ts";
import { asEslintRule, md, notebook, ruleTester } from "./rule-tester.ts";

ruleTester.run("no-committed-outputs", asEslintRule(rule), {
  valid: [
    { code: notebook(md("# T"), "const a = 1;", { source: "const b = 2;", tags: ["node"] }) },
    {
      code: notebook({ source: "a", outputs: 2, executionCount: 3 }),
      options: [{ allowOutputs: true, allowExecutionCounts: true }],
    },
    { code: "const x = 1;" },
  ],
  invalid: [
    {
      name: "outputs and an execution count: cleared together, tags kept",
      code: notebook(md("# T"), { source: "const a = 1;\na", tags: ["node: a"], outputs: 2, executionCount: 7 }),
      output: notebook(md("# T"), { source: "const a = 1;\na", tags: ["node: a"] }),
      errors: [
        {
          message:
            "cell [7] (code cell 1) has 2 saved output(s): clear outputs before committing (this rule's fix, or Jupyter's Edit › Clear Outputs of All Cells).",
          line: 3,
        },
      ],
    },
    {
      name: "only an execution count",
      code: notebook({ source: "const a = 1;", executionCount: 1 }, { source: "const b = 1;", executionCount: 2 }),
      output: notebook("const a = 1;", "const b = 1;"),
      errors: [
        {
          message:
            "cell [1] (code cell 1) has execution count 1: clear it before committing (this rule's fix, or Jupyter's Edit › Clear Outputs of All Cells).",
          line: 2,
        },
        { messageId: "executionCount" },
      ],
    },
    {
      name: "outputs allowed: execution counts still go",
      code: notebook({ source: "a", outputs: 1, executionCount: 4 }),
      options: [{ allowOutputs: true }],
      output: notebook({ source: "a", outputs: 1 }),
      errors: [{ messageId: "executionCount" }],
    },
  ],
});
