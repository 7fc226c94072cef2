import rule from "../../lint-rules/rules/max-cell-lines.ts";
import { asEslintRule, notebook, ruleTester } from "./rule-tester.ts";

const lines = (count: number, line = "x++;"): string => Array.from({ length: count }, () => line).join("\n");

ruleTester.run("max-cell-lines", asEslintRule(rule), {
  valid: [
    { code: notebook(`let x = 0;\n${lines(39)}`) },
    // Directive lines, comments and blank lines do not count by default.
    { code: notebook(`//| node: n\n/** Doc. */\nlet x = 0;\n\n// why\n${lines(39)}`) },
    { code: notebook(lines(5)), options: [{ max: 5 }] },
    // A plain module is not a notebook.
    { code: lines(100) },
  ],
  invalid: [
    {
      name: "over the default of 40",
      code: notebook(`let x = 0;\n${lines(40)}`),
      errors: [
        {
          message:
            "code cell 1 has 41 lines of code (at most 40): split it, e.g. move helper functions into an `export` cell.",
          line: 3,
        },
      ],
    },
    {
      name: "counting blank lines and comments when asked",
      code: notebook(`let x = 0;\n\n// c\n${lines(2)}`),
      options: [{ max: 3, skipBlankLines: false, skipComments: false }],
      errors: [{ messageId: "tooLong" }],
    },
    {
      name: "a template literal spanning lines counts each line",
      code: notebook("const s = `a\nb\nc`;"),
      options: [{ max: 2 }],
      errors: [{ messageId: "tooLong" }],
    },
  ],
});
