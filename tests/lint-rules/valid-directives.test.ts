import rule from "../../lint-rules/rules/valid-directives.ts";
import { asEslintRule, md, notebook, ruleTester, tagged } from "./rule-tester.ts";

ruleTester.run("valid-directives", asEslintRule(rule), {
  valid: [
    {
      code: notebook(
        md("# Title"),
        "//| parameters\nconst seed = 1;",
        tagged(["node: clean", "save: x"], "const x = seed;"),
      ),
    },
    // Tags of other tools (papermill, Jupyter Book) are not directives.
    { code: notebook(tagged(["hide-input", "remove-output"], "const a = 1;")) },
    // A plain TypeScript module has no cells to check.
    { code: "export const x = 1;" },
  ],
  invalid: [
    {
      name: "a misspelt //| line, with the did-you-mean as a suggestion",
      code: notebook(md("## Clean"), "//| nod\nconst x = 1;"),
      errors: [
        {
          message: "unknown directive `//| nod`: did you mean `node`?",
          line: 4,
          suggestions: [{ messageId: "replaceDirective", output: notebook(md("## Clean"), "//| node\nconst x = 1;") }],
        },
      ],
    },
    {
      name: "a misspelt tag, fixed inside the cell's marker (the processor rewrites the tag in the notebook JSON)",
      code: notebook(md("## Split"), tagged(["paramters"], "const testSize = 0.3;")),
      errors: [
        {
          message: "unknown directive tag `paramters`: did you mean `parameters`?",
          suggestions: [
            {
              messageId: "replaceDirective",
              output: notebook(md("## Split"), tagged(["parameters"], "const testSize = 0.3;")),
            },
          ],
        },
      ],
    },
    {
      name: "conflicting roles",
      code: notebook(tagged(["load", "predict"], "const a = 1;")),
      errors: [{ messageId: "conflictingDirectives" }],
    },
    {
      name: "skip with another directive",
      code: notebook("//| skip\n//| export\nconst a = 1;"),
      errors: [{ messageId: "conflictingDirectives", line: 3 }],
    },
    {
      name: "a directive comment after code",
      code: notebook(md("# T"), "const a = 1;\n//| node"),
      errors: [{ messageId: "misplacedDirective", line: 5 }],
    },
    {
      name: "an argument where none is taken",
      code: notebook("//| load: pokemon\nconst a = 1;"),
      errors: [{ messageId: "invalidArgument" }],
    },
    {
      name: "a node without a name or heading",
      code: notebook("//| node\nconst a = 1;"),
      errors: [{ messageId: "missingNodeName" }],
    },
    {
      name: "two nodes with one name",
      code: notebook("//| node: clean\nconst a = 1;", "//| node: clean\nconst b = 2;"),
      errors: [{ messageId: "duplicateNodeName" }],
    },
    {
      name: "two predict cells",
      code: notebook(
        tagged(["predict"], "function f(x: number): number { return x; }"),
        tagged(["predict"], "function g(x: number): number { return x; }"),
      ),
      errors: [{ messageId: "duplicatePredict" }],
    },
    {
      name: "a directive tag on a markdown cell",
      code: notebook({ type: "markdown", source: "# T", tags: ["node"] }),
      errors: [{ messageId: "misplacedDirective" }],
    },
  ],
});
