import rule from "../../lint-rules/rules/node-inputs-extracted.ts";
import { asEslintRule, md, notebook, ruleTester, tagged } from "./rule-tester.ts";

ruleTester.run("node-inputs-extracted", asEslintRule(rule), {
  valid: [
    {
      code: notebook(
        md("## Clean"),
        tagged(["parameters"], "const seed = 1;"),
        "//| load\nconst raw = [1, 2];",
        md("## Scale"),
        "//| node\nconst scaled = raw.map((x) => x * seed);",
      ),
    },
    // Imports belong to no cell: the extractor collects them.
    { code: notebook('import * as tf from "@tensorflow/tfjs";', md("## Make"), "//| node\nconst t = tf.tensor([1]);") },
    // Exploration reading exploration is fine.
    { code: notebook("const a = 1;", "const b = a;") },
    // A node's own declarations.
    { code: notebook(md("## N"), "//| node\nconst a = 1;\nconst b = a;") },
    // An untagged cell of constants and functions is shared code, as extract takes it.
    {
      code: notebook(
        "const scaler = 2;\nfunction twice(x: number): number { return 2 * x; }",
        md("## Features"),
        "//| node\nconst features = [1].map((x) => twice(x) * scaler);",
      ),
    },
    { code: notebook("const k = 2;", "//| export\nconst twice = k * 2;") },
  ],
  invalid: [
    {
      name: "a node reads a helper from a cell that also prints",
      code: notebook(
        "const scaler = 2;\nconsole.log(scaler);",
        md("## Features"),
        "//| node\nconst features = [1].map((x) => x * scaler);",
      ),
      errors: [
        {
          message:
            "untagged code cell 1 declares `scaler`, which code cell 2 reads, but it cannot be taken as shared code (an `export` cell): line 2 (`console.log(scaler);`) runs code when the cell runs; move that statement into another cell (the rest is then shared code), or tag the cell `export` to lift it into shared.ts as it is.",
        },
      ],
    },
    {
      name: "one message per helper cell, however many names and readers",
      code: notebook(
        tagged(["parameters"], "const seed = 1;"),
        "const k = seed * 2;\nconst m = 3;",
        md("## N"),
        "//| node\nconst a = k + m;",
        md("## O"),
        "//| node\nconst b = k;",
      ),
      errors: [{ messageId: "helperNotShareable" }],
    },
    {
      name: "mutable state",
      code: notebook("let k = 2;", md("## N"), "//| node\nconst a = k;"),
      errors: [{ messageId: "helperNotShareable" }],
    },
    {
      name: "the predict cell reads a helper from a skip cell",
      code: notebook(
        "//| skip\nfunction double(x: number): number { return 2 * x; }",
        tagged(["predict"], "function predict(x: number): number { return double(x); }"),
      ),
      errors: [{ messageId: "explorationInput" }],
    },
  ],
});
