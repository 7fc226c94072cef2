import rule from "../../lint-rules/rules/notebook-structure.ts";
import { asEslintRule, md, notebook, ruleTester, tagged } from "./rule-tester.ts";

ruleTester.run("notebook-structure", asEslintRule(rule), {
  valid: [
    {
      code: notebook(
        md("# Pokémon types\n\nWhat we do."),
        "const a = 1;",
        md("## Clean"),
        "//| node\nconst b = a;",
        md("## Serve"),
        tagged(["predict"], "function p(x: number): number { return x; }"),
      ),
    },
    { code: notebook(md("Pokémon types\n=============")) },
    // Exploration cells need no introduction.
    { code: notebook(md("# T"), "const a = 1;", "const b = 2;") },
    {
      code: notebook(md("# T"), md("## N"), "const look = 1;", "//| node\nconst b = 2;"),
      options: [{ maxCodeCellsBetween: 1 }],
    },
    {
      code: notebook("//| node: a\nconst a = 1;"),
      options: [{ requireTitle: false, requireNodeIntroductions: false }],
    },
    {
      code: notebook(
        md("# T"),
        'import * as tf from "@tensorflow/tfjs";\nimport { useFastestBackend } from "@cellforge/runtime/tfjs";\nawait useFastestBackend();\ntf.scalar(1);',
      ),
    },
    {
      code: notebook(md("# T"), 'import * as tf from "@tensorflow/tfjs";\ntf.scalar(1);'),
      options: [{ requireBackend: false }],
    },
  ],
  invalid: [
    {
      name: "TF.js imported, no backend picked: TF.js falls back on plain JavaScript and prints its install banner",
      code: notebook(md("# T"), 'import * as tf from "@tensorflow/tfjs";\ntf.scalar(1);'),
      errors: [
        {
          message:
            'exploration code cell 1 imports TensorFlow.js, but the notebook never picks a backend: add `import { useFastestBackend } from "@cellforge/runtime/tfjs";` and `await useFastestBackend();`, so it runs on the backend `cellforge run` uses (WebAssembly, or tfjs-node when installed), not TF.js\'s plain JavaScript one with its "install the node backend" banner.',
        },
      ],
    },
    {
      name: "no markdown at all",
      code: notebook("const a = 1;"),
      errors: [
        {
          message:
            "the notebook has no markdown cell: start it with one holding an H1 title (`# What this notebook does`).",
        },
      ],
    },
    {
      name: "the first markdown cell has only an H2, and a heading inside a code fence does not count",
      code: notebook(md("## Setup\n```\n# not a title\n```"), md("# Later title")),
      errors: [
        {
          message: "the notebook's first markdown cell has no H1 title: start it with `# What this notebook does`.",
          line: 2,
        },
      ],
    },
    {
      name: "a node right after a code cell",
      code: notebook(
        md("# T\n## Clean"),
        "const look = 1;",
        "//| node\nconst b = 2;",
        tagged(["predict"], "function p(x: number): number { return x; }"),
      ),
      errors: [
        {
          message:
            "node `clean` in code cell 2 has no markdown cell right before it: add one with a heading that says what it computes (the heading also names the node).",
          line: 6,
        },
        {
          message:
            "the `predict` code cell 3 has no markdown cell right before it: add one with a heading that says what it computes (the heading also names the node).",
          line: 10,
        },
      ],
    },
  ],
});
