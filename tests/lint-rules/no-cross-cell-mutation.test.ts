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
    // A node changing such a value in place: extract passes the changed value on the same way.
    { code: notebook(load, md("## Sort"), "//| node\nrows.sort();") },
    { code: notebook(load, md("## Shuffle"), "//| node\ntf.util.shuffle(rows);") },
    {
      code: notebook(
        "//| load\nconst df = load();\nconst model = build();",
        "//| node: train\ndf.drop({ columns: ['a'], inplace: true });\nawait model.fit(x, y);",
      ),
    },
    {
      code: notebook(
        "//| node: a\nconst history = { loss: [] as number[] };",
        "//| node: b\nhistory.loss.push(1);\nObject.assign(history, { loss: [] });",
      ),
    },
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
      name: "a mutating method on a parameter's array, and on an artifact in the predict cell",
      code: notebook(
        "//| parameters\nconst units = [16, 8];",
        load,
        md("## Sort"),
        "//| node\nunits.push(4);",
        "//| predict\nrows.sort();\nfunction predict(r: number[]): number[] { return r; }",
      ),
      errors: [
        {
          message:
            "node `sort` in code cell 3 calls `push` on `units`, which the `parameters` code cell 1 declares, and changes it in place: copy it first (e.g. `[...units]`) or move the change into the `parameters` code cell 1.",
        },
        { messageId: "mutatingCall" },
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
      name: "a nested member call, Object.assign and training on what an export cell declares",
      code: notebook(
        "//| export\nconst history = { loss: [] as number[] };\nconst model = build();",
        "//| node: b\nhistory.loss.push(1);\nObject.assign(history, { loss: [] });\nawait model.fit(x, y);",
      ),
      errors: [{ messageId: "mutatingCall" }, { messageId: "mutatingCall" }, { messageId: "mutatingCall" }],
    },
    {
      name: "TF.js's in-place shuffle of a parameter's array",
      code: notebook("//| parameters\nconst order = [1, 2, 3];", "//| node: n\ntf.util.shuffle(order);"),
      errors: [
        {
          message:
            "node `n` in code cell 2 calls `tf.util.shuffle` on `order`, which the `parameters` code cell 1 declares, and changes it in place: copy it first (e.g. `[...order]`) or move the change into the `parameters` code cell 1.",
        },
      ],
    },
    {
      name: "extra methods from options (which extract does not follow, so a node's call is reported)",
      code: notebook("//| load\nconst store = open();", "//| node: n\nstore.put(1);"),
      options: [{ methods: ["put"] }],
      errors: [{ messageId: "mutatingCall" }],
    },
  ],
});
