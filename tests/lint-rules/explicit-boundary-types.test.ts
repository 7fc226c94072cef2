import rule from "../../lint-rules/rules/explicit-boundary-types.ts";
import { asEslintRule, md, NOTEBOOK_FILENAME, notebook, ROOT, tagged, typedRuleTester } from "./rule-tester.ts";

const filename = NOTEBOOK_FILENAME;
const MODULE = `${ROOT}notebooks/rule-tester.ipynb/1_module.ts`;

typedRuleTester.run("explicit-boundary-types", asEslintRule(rule), {
  valid: [
    {
      filename,
      code: notebook(
        "//| load\nconst rows: number[] = JSON.parse('[1]') as number[];",
        md("## Double"),
        "//| node\nconst doubled = rows.map((r) => r * 2);",
        "console.log(doubled);",
        tagged(["predict"], "function predict(xs: number[]): { y: number }[] { return xs.map((y) => ({ y })); }"),
      ),
    },
    // An exploration cell may hold anything.
    { filename, code: notebook("const loose: any = 1;\nconst also = loose;") },
    // A node's local that no later cell reads is not an output.
    {
      filename,
      code: notebook(
        md("## N"),
        "//| node\nconst scratch = JSON.parse('1');\nconst kept: number = Number(scratch);",
        "kept;",
      ),
    },
    {
      filename: MODULE,
      code: "export function clean(rows: number[]): { kept: number[] } { return { kept: rows }; }\nconst inner = (x: any) => x;\nexport default inner;",
    },
    // A class instance's own fields are the library's business, not the contract (a TF.js model has internals typed any).
    {
      filename: MODULE,
      code: "class Model { internals: any = 1; }\nexport function build(): Model { return new Model(); }",
    },
  ],
  invalid: [
    {
      name: "an input declared as any",
      filename,
      code: notebook(
        "//| load\nconst raw: any = JSON.parse('[1]');",
        md("## Clean"),
        "//| node\nconst kept: number[] = [raw as number];",
      ),
      errors: [
        {
          message:
            "node `clean` in code cell 2 takes `raw` as an input, and its type is `any`, written explicitly (declared in code cell 1): give the declaration a type, e.g. `const raw: DataFrame = …`.",
        },
      ],
    },
    {
      name: "an output inferred as any, read by a later cell; an array of any saved",
      filename,
      code: notebook(
        md("## Parse"),
        "//| node\n//| save: list\nconst parsed = JSON.parse('{}');\nconst list: any[] = [];",
        "console.log(parsed);",
      ),
      errors: [
        {
          message:
            "`parsed` is an output of node `parse` in code cell 1 and its type is `any`, inferred: the type becomes the dataset's contract; annotate it or cast the value it comes from.",
        },
        {
          message:
            "`list` is an output of node `parse` in code cell 1 and its type is an array of `any`, written explicitly: the type becomes the dataset's contract; annotate it or cast the value it comes from.",
        },
      ],
    },
    {
      name: "the predict signature",
      filename,
      code: notebook(tagged(["predict"], "function predict(rows: any) { return JSON.parse(String(rows)); }")),
      errors: [
        { message: "`predict` returns `any`, inferred: the return type is the pipeline's contract; annotate it." },
        { messageId: "anyParameter" },
      ],
    },
    {
      name: "a pipeline module's exported functions, including a returned record with an any field",
      filename: MODULE,
      code: "export function parse(text: string) { return { value: JSON.parse(text) }; }\nexport const load = async (p: any): Promise<number> => Number(p);",
      errors: [
        {
          message:
            "`parse` returns an object whose `value` is `any`: the return type is the pipeline's contract; annotate it.",
        },
        { messageId: "anyParameter" },
      ],
    },
  ],
});
