import rule from "../../lint-rules/rules/no-label-leakage.ts";
import { asEslintRule, md, notebook, ruleTester } from "./rule-tester.ts";

const options = [{ label: ["type1"], derived: ["^against_"] }];

ruleTester.run("no-label-leakage", asEslintRule(rule), {
  valid: [
    // The label builds the target; cleaning cells read it; dropping the leaking columns is the right thing.
    {
      code: notebook(
        md("## Features"),
        "//| node\nconst featureRows = rows.map((p) => [p.hp, p.attack]);\nconst target = rows.map((p) => p.type1);",
      ),
      options,
    },
    {
      code: notebook(md("## Clean"), "//| node\nconst t = String(row['type1']);\nconst a = row['against_fire'];"),
      options,
    },
    {
      code: notebook(md("## Features"), "//| node\nconst features = df.drop({ columns: ['against_fire', 'type1'] });"),
      options,
    },
    // Exploration may look at anything.
    { code: notebook("const featureLook = row['against_fire'];"), options },
    // Without a label or derived columns, nothing to check.
    { code: notebook(md("## Features"), "//| node\nconst features = ['against_fire'];") },
  ],
  invalid: [
    {
      name: "a derived column in a feature list",
      code: notebook(md("## Features"), "//| node\nconst FEATURE_COLUMNS = ['hp', 'attack', 'against_fire'];"),
      options,
      errors: [
        {
          message:
            "`against_fire` is computed from the label (`type1`), so a model trained on it learns the answer: leave it out of the features.",
        },
      ],
    },
    {
      name: "the label in a column list, in an export cell that builds features",
      code: notebook(
        "//| export\nfunction featureVector(row: Record<string, number>): number[] { return ['hp', 'type1'].map((c) => row[c] ?? 0); }",
      ),
      options,
      errors: [{ message: "`type1` is the label: it must not be in the feature columns." }],
    },
    {
      name: "derived columns by member access, key and template prefix",
      code: notebook(
        md("## Features"),
        "//| node: features\nconst x = rows.map((p) => [p.against_fire, { against_water: 1 }, p[`against_${t}`]]);",
      ),
      options,
      errors: [{ messageId: "derivedColumn" }, { messageId: "derivedColumn" }, { messageId: "derivedColumn" }],
    },
    {
      name: "a pipeline module: only declarations named like features are checked",
      filename: "pipelines/train/nodes.ts",
      code: "export function clean(r: { against_fire: number }): number { return r.against_fire; }\nexport const featureNames = { columns: 'type1' };",
      options,
      errors: [{ messageId: "labelColumn" }],
    },
  ],
});
