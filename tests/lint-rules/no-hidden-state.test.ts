import rule from "../../lint-rules/rules/no-hidden-state.ts";
import { asEslintRule, notebook, ruleTester } from "./rule-tester.ts";

ruleTester.run("no-hidden-state", asEslintRule(rule), {
  valid: [
    { code: notebook("const a = 1;", "const b = a + 1;") },
    // A function body runs when called: here after cell 2 has declared `scale`.
    { code: notebook("function f(x: number): number { return x * scale; }", "const scale = 2;", "const y = f(1);") },
    // Declared again later, but an earlier declaration is what this cell sees.
    { code: notebook("let a = 1;", "a += 1;", "let a = 2;") },
    // Globals and names declared in the same cell.
    { code: notebook("const n = Math.max(1, 2);\nconst m = n;") },
    { code: "const x = later; const later = 1;" },
  ],
  invalid: [
    {
      name: "a cell reads what only a later cell declares",
      code: notebook("const total = count * 2;", "const count = 3;"),
      errors: [
        {
          message:
            "code cell 1 reads `count`, which only code cell 2 declares, further down: the notebook works only in the order it was run; move the declaration above this cell or this code below it.",
          line: 3,
        },
      ],
    },
    {
      name: "types count too: the kernel compiles cells in order",
      code: notebook("const p: Point = { x: 1 };", "interface Point { x: number }"),
      errors: [{ messageId: "laterDeclaration" }],
    },
    {
      name: "an import in a later cell",
      code: notebook("const t = tf.tensor([1]);", 'import * as tf from "@tensorflow/tfjs";'),
      errors: [{ messageId: "laterDeclaration" }],
    },
    {
      name: "inside functions when asked",
      code: notebook("function f(): number { return scale; }", "const scale = 2;"),
      options: [{ checkFunctionBodies: true }],
      errors: [{ messageId: "laterDeclaration" }],
    },
  ],
});
