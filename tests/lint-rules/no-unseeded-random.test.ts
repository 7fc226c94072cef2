import rule from "../../lint-rules/rules/no-unseeded-random.ts";
import { asEslintRule, md, notebook, ruleTester } from "./rule-tester.ts";

const tf = 'import * as tf from "@tensorflow/tfjs";';
const node = (code: string): string => notebook(tf, md("## Train"), `//| node\n${code}`);

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
    { code: 'const Math = { random: () => 0.5 };\nexport const r = Math.random();', filename: "pipelines/x/nodes.ts" },
    { code: node("const l = tf.layers.dense({ units: 4 });"), options: [{ checkDefaultInitializers: false }] },
  ],
  invalid: [
    {
      name: "Math.random in a node cell",
      code: node("const r = Math.random();"),
      errors: [{ message: "`Math.random()` cannot be seeded: draw from a seeded generator created from the `seed` parameter (e.g. mulberry32(seed)).", line: 8 }],
    },
    {
      name: "TF.js ops and initializers without a seed",
      code: node("tf.randomUniform([2]);\ntf.truncatedNormal([2], 0, 1, 'float32', undefined);\ntf.multinomial(logits, 1);\ntf.initializers.glorotNormal({});\ntf.initializers.orthogonal();"),
      errors: [
        { message: "`tf.randomUniform` has no seed: pass one derived from the `seed` parameter as argument 5." },
        { messageId: "opWithoutSeed" },
        { message: "`tf.multinomial` has no seed: pass one derived from the `seed` parameter as argument 3." },
        { messageId: "initializerWithoutSeed" },
        { messageId: "initializerWithoutSeed" },
      ],
    },
    {
      name: "layers: dropout without a seed, noise layers, default and named initializers",
      code: node("tf.layers.dropout({ rate: 0.5 });\ntf.layers.gaussianNoise({ stddev: 1 });\ntf.layers.dense({ units: 2 });\ntf.layers.lstm({ units: 2, kernelInitializer: tf.initializers.glorotUniform({ seed }), recurrentInitializer: 'orthogonal' });"),
      errors: [{ messageId: "layerWithoutSeed" }, { messageId: "unseedableLayer" }, { messageId: "defaultInitializer" }, { messageId: "defaultInitializer" }],
    },
    {
      name: "shuffles: tf.util.shuffle, a dataset shuffle without seed, fit's default shuffle",
      code: node("tf.util.shuffle(rows);\nds.shuffle(100);\nawait model.fit(x, y);\nawait model.fit(x, y, { epochs: 2, shuffle: true });"),
      errors: [{ messageId: "unseededShuffle" }, { messageId: "unseededShuffle" }, { messageId: "fitShuffles" }, { messageId: "fitShuffles" }],
    },
    {
      name: "named imports and a pipeline module",
      filename: "pipelines/train/nodes.ts",
      code: 'import { randomNormal } from "@tensorflow/tfjs";\nexport const t = randomNormal([3]);\nexport const u = Math.random();',
      errors: [{ messageId: "opWithoutSeed" }, { messageId: "mathRandom" }],
    },
  ],
});
