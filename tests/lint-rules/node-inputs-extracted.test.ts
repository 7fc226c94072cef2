import rule from "../../lint-rules/rules/node-inputs-extracted.ts";
import { asEslintRule, md, notebook, ruleTester, tagged } from "./rule-tester.ts";

ruleTester.run("node-inputs-extracted", asEslintRule(rule), {
  valid: [
    { code: notebook(md("## Clean"), tagged(["parameters"], "const seed = 1;"), "//| load\nconst raw = [1, 2];", md("## Scale"), "//| node\nconst scaled = raw.map((x) => x * seed);") },
    // Imports belong to no cell: the extractor collects them.
    { code: notebook('import * as tf from "@tensorflow/tfjs";', md("## Make"), "//| node\nconst t = tf.tensor([1]);") },
    // Exploration reading exploration is fine.
    { code: notebook("const a = 1;", "const b = a;") },
    // A node's own declarations.
    { code: notebook(md("## N"), "//| node\nconst a = 1;\nconst b = a;") },
  ],
  invalid: [
    {
      name: "a node reads a name an exploration cell declares",
      code: notebook("const scaler = 2;", md("## Features"), "//| node\nconst features = [1].map((x) => x * scaler);"),
      errors: [
        {
          message:
            "cell 3 (node `features`) reads `scaler`, which only exploration cell 1 declares, so the pipeline would not have it: tag cell 1 `node` (or `export` for functions and constants) or move the declaration into an extracted cell.",
          line: 8,
        },
      ],
    },
    {
      name: "the predict cell reads a helper from a skip cell",
      code: notebook("//| skip\nfunction double(x: number): number { return 2 * x; }", tagged(["predict"], "function predict(x: number): number { return double(x); }")),
      errors: [{ messageId: "explorationInput" }],
    },
    {
      name: "reported once per cell and name",
      code: notebook("const k = 2;", md("## N"), "//| node\nconst a = k;\nconst b = k;"),
      errors: [{ messageId: "explorationInput" }],
    },
    {
      name: "export cells when asked",
      code: notebook("const k = 2;", "//| export\nconst twice = k * 2;"),
      options: [{ roles: ["export"] }],
      errors: [{ messageId: "explorationInput" }],
    },
  ],
});
