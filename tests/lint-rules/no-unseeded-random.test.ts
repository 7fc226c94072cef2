import rule from "../../lint-rules/rules/no-unseeded-random.ts";
import { asEslintRule, md, notebook, ruleTester, tagged } from "./rule-tester.ts";

const tf = 'import * as tf from "@tensorflow/tfjs";';
const node = (code: string): string => notebook(tf, md("## Train"), `//| node\n${code}`);
/** A notebook with a `seed` parameter, which `cellforge run` uses to seed Math.random in every node. */
const seededNode = (code: string): string =>
  notebook(tf, tagged(["parameters"], "const seed = 42;\nconst epochs = 3;"), md("## Train"), `//| node\n${code}`);

ruleTester.run("no-unseeded-random", asEslintRule(rule), {
  valid: [
    { code: notebook("const r = Math.random();") },
    {
      code: node(
        [
          "const a = tf.randomNormal([2], 0, 1, 'float32', seed);",
          "const b = tf.initializers.glorotUniform({ seed });",
          "const l = tf.layers.dense({ units: 4, kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }) });",
          "const d = tf.layers.dropout({ rate: 0.2, seed });",
          "const e = tf.layers.dense({ units: 4, kernelInitializer: init });",
          "await model.fit(x, y, { epochs: 1, shuffle: false });",
          "const s = ds.shuffle(100, String(seed));",
          "const n = tf.layers.batchNormalization({});",
          "const p = shuffled(rows, mulberry32(seed));",
        ].join("\n"),
      ),
    },
    { code: "const Math = { random: () => 0.5 };\nexport const r = Math.random();", filename: "pipelines/x/nodes.ts" },
    { code: node("const l = tf.layers.dense({ units: 4 });"), options: [{ checkDefaultInitializers: false }] },
    {
      name: "with a `seed` parameter, what draws from Math.random is seeded by the runner: fit's shuffle, default initializers, unseeded ops and layers",
      code: seededNode(
        [
          "const model = tf.sequential({ layers: [tf.layers.dense({ units: 4 }), tf.layers.dropout({ rate: 0.2 }), tf.layers.gaussianNoise({ stddev: 1 })] });",
          "await model.fit(x, y, { epochs });",
          "const r = Math.random() + tf.randomUniform([2]).dataSync()[0]!;",
          "tf.util.shuffle(rows);",
          "const init = tf.initializers.glorotUniform({});",
        ].join("\n"),
      ),
    },
  ],
  invalid: [
    {
      name: "Math.random in a node cell",
      code: node("const r = Math.random();"),
      errors: [
        {
          message:
            "`Math.random()` is unseeded: add a `seed` parameter to the notebook's parameters cell, and `cellforge run` seeds Math.random in every node.",
          line: 8,
        },
      ],
    },
    {
      name: "TF.js ops and initializers without a seed",
      code: node(
        "tf.randomUniform([2]);\ntf.truncatedNormal([2], 0, 1, 'float32', undefined);\ntf.multinomial(logits, 1);\ntf.initializers.glorotNormal({});\ntf.initializers.orthogonal();",
      ),
      errors: [
        {
          message:
            "`tf.randomUniform` has no seed: add a `seed` parameter to the notebook's parameters cell (`cellforge run` then seeds Math.random, which TF.js draws a missing seed from), or pass a seed as argument 5.",
        },
        { messageId: "opWithoutSeed" },
        {
          message:
            "`tf.multinomial` has no seed: add a `seed` parameter to the notebook's parameters cell (`cellforge run` then seeds Math.random, which TF.js draws a missing seed from), or pass a seed as argument 3.",
        },
        { messageId: "initializerWithoutSeed" },
        { messageId: "initializerWithoutSeed" },
      ],
    },
    {
      name: "layers: dropout without a seed, noise layers, default and named initializers",
      code: node(
        "tf.layers.dropout({ rate: 0.5 });\ntf.layers.gaussianNoise({ stddev: 1 });\ntf.layers.dense({ units: 2 });\ntf.layers.lstm({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: 'orthogonal' });",
      ),
      errors: [
        { messageId: "layerWithoutSeed" },
        { messageId: "unseedableLayer" },
        { messageId: "defaultInitializer" },
        { messageId: "defaultInitializer" },
      ],
    },
    {
      name: "shuffles: tf.util.shuffle, a dataset shuffle without seed, fit's default shuffle",
      code: node(
        "tf.util.shuffle(rows);\nds.shuffle(100);\nawait model.fit(x, y);\nawait model.fit(x, y, { epochs: 2, shuffle: true });",
      ),
      errors: [
        { messageId: "unseededShuffle" },
        { messageId: "clockShuffle" },
        {
          message:
            "`model.fit` shuffles the rows with Math.random (TF.js `shuffle` defaults to true and takes no seed): add a `seed` parameter to the notebook's parameters cell, and `cellforge run` seeds Math.random, so every run shuffles alike.",
        },
        { messageId: "fitShuffles" },
      ],
    },
    {
      name: "with a `seed` parameter: a tf.data shuffle (seeded from the clock) and Math.random at an export cell's top level (run at import, before any node)",
      code: notebook(
        tf,
        tagged(["parameters"], "const seed = 42;"),
        tagged(["export"], "export const jitter = Math.random();"),
        md("## Train"),
        "//| node\nconst s = ds.shuffle(100);",
      ),
      errors: [{ messageId: "mathRandom" }, { messageId: "clockShuffle" }],
    },
    {
      name: "named imports and a pipeline module",
      filename: "pipelines/train/nodes.ts",
      code: 'import { randomNormal } from "@tensorflow/tfjs";\nexport const t = randomNormal([3]);\nexport const u = Math.random();',
      errors: [{ messageId: "opWithoutSeed" }, { messageId: "mathRandom" }],
    },
  ],
});
