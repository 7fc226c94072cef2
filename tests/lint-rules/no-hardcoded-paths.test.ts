import rule, { looksLikePath } from "../../lint-rules/rules/no-hardcoded-paths.ts";
import { describe, expect, it } from "vitest";
import { asEslintRule, md, notebook, ruleTester } from "./rule-tester.ts";

describe("looksLikePath", () => {
  it("tells file paths from other strings", () => {
    for (const path of [
      "data/01_raw/pokemon.csv",
      "./out",
      "../models/x",
      "/tmp/x.bin",
      "~/data",
      "C:\\data\\x.csv",
      "file:///tmp/m",
      "model.json",
    ]) {
      expect(looksLikePath(path), path).toBe(true);
    }
    for (const text of [
      "/predict",
      "text/csv",
      "https://example.com/a.csv",
      "type1",
      "1/2",
      "a b/c.csv",
      "int32",
      "image/svg+xml",
    ]) {
      expect(looksLikePath(text), text).toBe(false);
    }
  });
});

ruleTester.run("no-hardcoded-paths", asEslintRule(rule), {
  valid: [
    {
      code: notebook(
        "//| load\nconst raw = await dfd.readCSV('data/01_raw/pokemon.csv');",
        "//| parameters\nconst out = 'reports/x.json';",
        "const p = 'data/x.csv';",
      ),
    },
    {
      code: notebook(
        md("## N"),
        '//| node\nimport type { X } from "./types.ts";\nconst mime = "text/csv";\nconst route = "/predict";',
      ),
    },
    {
      code: 'import { x } from "../shared/x.ts";\nexport const y: "a/b.csv" = "a/b.csv" as "a/b.csv";',
      filename: "pipelines/train/nodes.ts",
      options: [{ allow: ["^a/b\\.csv$"] }],
    },
  ],
  invalid: [
    {
      name: "a path in a node cell",
      code: notebook(md("## N"), "//| node\nconst raw = readFileSync('data/01_raw/pokemon.csv');"),
      errors: [
        {
          message:
            "`data/01_raw/pokemon.csv` is a file path in pipeline code: paths are configuration; read the file in a `load` cell (it becomes a catalog dataset in conf/base/catalog.yml) and take the data as an input.",
        },
      ],
    },
    {
      name: "template literals and a pipeline module",
      code: "export function f(name: string): string { return `data/${name}.csv` + '/tmp/cache/x'; }",
      filename: "pipelines/train/nodes.ts",
      errors: [{ messageId: "hardcodedPath" }, { messageId: "hardcodedPath" }],
    },
  ],
});
