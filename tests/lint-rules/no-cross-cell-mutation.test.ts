import rule from "../../lint-rules/rules/no-cross-cell-mutation.ts";
import { asEslintRule, md, notebook, ruleTester } from "./rule-tester.ts";

const load = "//| load\nconst rows = [3, 1, 2];";

ruleTester.run("no-cross-cell-mutation", asEslintRule(rule), {
  valid: [
    { code: notebook(load, md("## Sort"), "//| node\nconst sorted = [...rows].sort();") },
    // Mutating what the node itself declares.
    {
      code: notebook(
        md("## N"),
        "//| node\nconst seen = new Set<number>();\nseen.add(1);\nconst o = { a: 1 };\no.a = 2;",
      ),
    },
    // A node giving a load or node cell's variable a new value: extract passes it on as a dataset of its own.
    { code: notebook(load, md("## Clean"), "//| node\nrows = rows.filter((r) => r > 1);") },
    { code: notebook("//| node: a\nlet total = 0;", "//| node: b\ntotal += 5;") },
    // Exploration may poke at things.
    { code: notebook(load, "rows.push(4);") },
    // Locals that shadow nothing of another cell.
    {
      code: notebook(
        load,
        md("## N"),
        "//| node\nconst out = rows.map((r) => { const copy = [r]; copy.push(r); return copy; });",
      ),
    },
  ],
  invalid: [
    {
      name: "a mutating method on another cell's array",
      code: notebook(load, md("## Sort"), "//| node\nrows.sort();"),
      errors: [
        {
          message:
            "node `sort` in code cell 2 calls `sort` on `rows`, which the `load` code cell 1 declares, and changes it in place: copy it first (e.g. `[...rows]`) or move the change into the `load` code cell 1.",
        },
      ],
    },
    {
      name: "assigning a parameter, or a variable in the predict cell",
      code: notebook(
        "//| parameters\nlet epochs = 10;",
        "//| node: a\nlet total = 0;",
        "//| node: b\nepochs = 5;",
        "//| predict\ntotal = 1;\nfunction predict(rows: number[]): number[] { return rows; }",
      ),
      errors: [
        {
          message:
            "node `b` in code cell 3 assigns `epochs`, which the `parameters` code cell 1 declares: only a node may give a `load` or `node` cell's variable a new value (the pipeline passes it on as a dataset of its own); declare a new name here (e.g. `const epochs2 = …`).",
        },
        { messageId: "assignment" },
      ],
    },
    {
      name: "member assignment, update and delete",
      code: notebook(
        "//| export\nconst config = { rate: 1, extra: 1 };",
        "//| node: tune\nconfig.rate = 2;\nconfig.rate++;\ndelete config.extra;",
      ),
      errors: [{ messageId: "memberAssignment" }, { messageId: "memberAssignment" }, { messageId: "memberAssignment" }],
    },
    {
      name: "a nested member call and Object.assign",
      code: notebook(
        "//| node: a\nconst history = { loss: [] as number[] };",
        "//| node: b\nhistory.loss.push(1);\nObject.assign(history, { loss: [] });",
      ),
      errors: [{ messageId: "mutatingCall" }, { messageId: "mutatingCall" }],
    },
    {
      name: "danfo.js in-place operations and training a model another cell built",
      code: notebook(
        "//| load\nconst df = load();\nconst model = build();",
        "//| node: train\ndf.drop({ columns: ['a'], inplace: true });\nawait model.fit(x, y);",
      ),
      errors: [{ messageId: "mutatingCall" }, { messageId: "mutatingCall" }],
    },
    {
      name: "extra methods from options",
      code: notebook("//| load\nconst store = open();", "//| node: n\nstore.put(1);"),
      options: [{ methods: ["put"] }],
      errors: [{ messageId: "mutatingCall" }],
    },
  ],
});
