import rule from "../../lint-rules/rules/no-io-in-nodes.ts";
import { asEslintRule, md, notebook, ruleTester } from "./rule-tester.ts";

const imports =
  'import * as fs from "node:fs";\nimport * as dfd from "danfojs-node";\nimport * as tf from "@tensorflow/tfjs";';

ruleTester.run("no-io-in-nodes", asEslintRule(rule), {
  valid: [
    // load cells read; exploration may do anything.
    {
      code: notebook(
        imports,
        "//| load\nconst raw = await dfd.readCSV('data/01_raw/pokemon.csv');",
        "const text = fs.readFileSync('x.txt', 'utf8');",
      ),
    },
    // danfo conversions without a file are not I/O; saving a model to an IOHandler object is the catalog's job, not a path.
    {
      code: notebook(
        imports,
        md("## N"),
        "//| node\nconst rows = dfd.toJSON(df);\nconst csv = dfd.toCSV(df);\nawait model.save(handler);",
      ),
    },
    {
      code: "export function clean(rows: number[]): number[] { return rows.filter((r) => r > 0); }",
      filename: "pipelines/train/nodes.ts",
    },
  ],
  invalid: [
    {
      name: "fs from an exploration cell's import, used in a node",
      code: notebook(imports, md("## N"), "//| node\nconst text = fs.readFileSync('x.txt', 'utf8');"),
      errors: [
        {
          message:
            "`fs` comes from `node:fs`: pipeline code must not do I/O; declare the data in a `load` cell (a catalog dataset) and take it as an input, or `save` the result.",
        },
      ],
    },
    {
      name: "fetch, a danfo reader, a TF.js loader, a writer with a filePath and a model saved to a URL",
      code: notebook(
        imports,
        md("## N"),
        "//| node\nconst r = await fetch('https://x');\nconst d = await dfd.readCSV(url);\nconst m = await tf.loadLayersModel(url);\ndf.toCSV({ filePath: out });\nawait m.save('file://model');",
      ),
      errors: [
        { messageId: "ioGlobal" },
        { messageId: "ioCall" },
        { messageId: "ioCall" },
        { messageId: "ioCall" },
        {
          message:
            "`m.save` writes the model outside the catalog: drop it and add `//| save: m` to this cell; the catalog writes the model to data/06_models/, the run records it and registers it for serving.",
        },
      ],
    },
    {
      name: "a pipeline module: imports by name, require, dynamic import and child_process",
      filename: "pipelines/train/nodes.ts",
      code: 'import { readFileSync } from "fs";\nimport { execSync } from "node:child_process";\nexport function f(): string { const os = require("net"); void import("https"); execSync("ls"); return readFileSync("a", "utf8"); }',
      errors: [
        { messageId: "ioModule" },
        { messageId: "ioModule" },
        { messageId: "ioModule" },
        { messageId: "ioModule" },
      ],
    },
    {
      name: "more modules from options, in an export cell",
      code: notebook('import { S3 } from "aws-sdk";', "//| export\nconst client = new S3();"),
      options: [{ modules: ["aws-sdk"] }],
      errors: [{ messageId: "ioModule" }],
    },
  ],
});
