import rule from "../../lint-rules/rules/typed-dataframe-columns.ts";
import { asEslintRule, NOTEBOOK_FILENAME as filename, notebook, typedRuleTester } from "./rule-tester.ts";

const load = 'import * as dfd from "danfojs-node";\nconst df = new dfd.DataFrame([{ speed: 90, hp: 45 }]);';

typedRuleTester.run("typed-dataframe-columns", asEslintRule(rule), {
  valid: [
    { filename, code: notebook(load, 'const fast = df.query(df.column("speed").gt(80));') },
    // A declared member read with brackets, a column set, a plain object and a Map-like index.
    {
      filename,
      code: notebook(
        load,
        'const shape = df["shape"];\ndf["total"] = df.column("speed");\nconst row: Record<string, number> = { speed: 1 };\nconst s = row["speed"];',
      ),
    },
  ],
  invalid: [
    {
      name: "a column read by name, in a query and for its values, fixed to df.column",
      filename,
      code: notebook(load, 'const fast = df.query(df["speed"].gt(80));\nconst hp = df["hp"].values as number[];'),
      output: notebook(
        load,
        'const fast = df.query(df.column("speed").gt(80));\nconst hp = df.column("hp").values as number[];',
      ),
      errors: [
        {
          message:
            '`df["speed"]` is typed `any` by danfojs, so nothing checks what is done with the column: write `df.column("speed")`, the same Series, typed (`eslint --fix` does it).',
        },
        { messageId: "untypedColumn" },
      ],
    },
  ],
});
