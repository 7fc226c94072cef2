// no-unseeded-random: every random choice in pipeline code is seeded, so two runs with the same parameters agree.
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.ts";
import { importOf, isGlobal, memberPath, propertyNamed } from "../analysis/references.ts";
import { isPipelineCode } from "../notebook/notebook-view.ts";

type Options = [{ checkDefaultInitializers?: boolean }];
type MessageId = "mathRandom" | "opWithoutSeed" | "initializerWithoutSeed" | "layerWithoutSeed" | "unseedableLayer" | "defaultInitializer" | "unseededShuffle" | "fitShuffles";

/** TF.js random ops and the index of their `seed` argument. */
const SEEDED_OPS: Record<string, number> = {
  randomNormal: 4,
  randomUniform: 4,
  truncatedNormal: 4,
  randomGamma: 4,
  randomUniformInt: 3,
  randomStandardNormal: 2,
  multinomial: 2,
  dropout: 3,
};

/** TF.js initializers that draw random numbers (config `seed`). */
const RANDOM_INITIALIZERS = new Set([
  "glorotUniform", "glorotNormal", "heNormal", "heUniform", "leCunNormal", "leCunUniform",
  "randomNormal", "randomUniform", "truncatedNormal", "varianceScaling", "orthogonal",
]);

/** TF.js layers with a `seed` option. */
const SEEDED_LAYERS = new Set(["dropout", "spatialDropout1d"]);

/** TF.js noise layers that draw random numbers and take no seed at all. */
const UNSEEDABLE_LAYERS = new Set(["gaussianNoise", "gaussianDropout", "alphaDropout"]);

/** TF.js layers whose weights start from a random initializer by default, with the options that choose it. */
const INITIALIZED_LAYERS: Record<string, readonly string[]> = {
  dense: ["kernelInitializer"],
  conv1d: ["kernelInitializer"],
  conv2d: ["kernelInitializer"],
  conv3d: ["kernelInitializer"],
  conv2dTranspose: ["kernelInitializer"],
  depthwiseConv2d: ["depthwiseInitializer"],
  separableConv2d: ["depthwiseInitializer", "pointwiseInitializer"],
  embedding: ["embeddingsInitializer"],
  simpleRNN: ["kernelInitializer", "recurrentInitializer"],
  lstm: ["kernelInitializer", "recurrentInitializer"],
  gru: ["kernelInitializer", "recurrentInitializer"],
  convLstm2d: ["kernelInitializer", "recurrentInitializer"],
};

/** Whether an argument is absent or `undefined`. */
function missing(node: TSESTree.Node | undefined): boolean {
  return node === undefined || (node.type === AST_NODE_TYPES.Identifier && node.name === "undefined");
}

export default createRule<Options, MessageId>({
  name: "no-unseeded-random",
  meta: {
    type: "problem",
    docs: { description: "Disallow unseeded randomness in pipeline code: Math.random, TF.js random ops, initializers and layers without a seed, unseeded shuffles" },
    schema: [
      {
        type: "object",
        properties: {
          checkDefaultInitializers: {
            type: "boolean",
            description: "Report TF.js layers left with their default (unseeded) weight initializer; default true.",
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      mathRandom: "`Math.random()` cannot be seeded: draw from a seeded generator created from the `seed` parameter (e.g. mulberry32(seed)).",
      opWithoutSeed: "`{{call}}` has no seed: pass one derived from the `seed` parameter as argument {{position}}.",
      initializerWithoutSeed: "`{{call}}` has no seed: pass `{ seed }` derived from the `seed` parameter.",
      layerWithoutSeed: "`{{call}}` has no `seed`: add `seed` (derived from the `seed` parameter) to its options.",
      unseedableLayer: "`{{call}}` draws random noise and TF.js gives it no seed: leave it out of reproducible pipelines or use a seeded `dropout`.",
      defaultInitializer:
        "`{{call}}` starts `{{option}}` from an unseeded random initializer: pass `{{option}}: tf.initializers.glorotUniform({ seed })` (or another seeded initializer).",
      unseededShuffle: "`{{call}}` shuffles with an unseeded generator: shuffle with a seeded one (Fisher–Yates drawing from mulberry32(seed)), or pass a seed.",
      fitShuffles:
        "`{{call}}` shuffles the rows with Math.random (TF.js `shuffle` defaults to true and takes no seed): pass `shuffle: false` and permute the rows with a seeded generator each epoch.",
    },
  },
  defaultOptions: [{ checkDefaultInitializers: true }],
  create(context, [options]) {
    const sourceCode = context.sourceCode;

    /** The TF.js path of a callee (`tf.layers.dense` → ["layers", "dense"]), when its root is imported from TF.js. */
    function tfjsPath(callee: TSESTree.Node): string[] | undefined {
      const member = callee.type === AST_NODE_TYPES.Identifier ? { root: callee, path: [] } : memberPath(callee);
      if (member === undefined) return undefined;
      const imported = importOf(sourceCode, member.root);
      if (imported === undefined || !imported.module.startsWith("@tensorflow/tfjs")) return undefined;
      return imported.imported === "*" || imported.imported === "default" ? member.path : [imported.imported, ...member.path];
    }

    function checkTfjs(node: TSESTree.CallExpression, path: readonly string[]): void {
      const call = sourceCode.getText(node.callee);
      const [first, second] = path;
      const config = node.arguments[0];
      if (path.length === 1 && first !== undefined && first in SEEDED_OPS) {
        const index = SEEDED_OPS[first] ?? 0;
        if (missing(node.arguments[index])) context.report({ node, messageId: "opWithoutSeed", data: { call, position: index + 1 } });
        return;
      }
      if (path.length === 2 && first === "initializers" && second !== undefined && RANDOM_INITIALIZERS.has(second)) {
        if (missing(config) || (config?.type === AST_NODE_TYPES.ObjectExpression && propertyNamed(config, "seed") === undefined)) {
          context.report({ node, messageId: "initializerWithoutSeed", data: { call } });
        }
        return;
      }
      if (path.length === 2 && first === "util" && (second === "shuffle" || second === "shuffleCombo")) {
        context.report({ node, messageId: "unseededShuffle", data: { call } });
        return;
      }
      if (path.length !== 2 || first !== "layers" || second === undefined) return;
      if (UNSEEDABLE_LAYERS.has(second)) {
        context.report({ node, messageId: "unseedableLayer", data: { call } });
        return;
      }
      if (config?.type !== AST_NODE_TYPES.ObjectExpression) return;
      if (SEEDED_LAYERS.has(second) && propertyNamed(config, "seed") === undefined) {
        context.report({ node, messageId: "layerWithoutSeed", data: { call } });
      }
      if (options.checkDefaultInitializers === false) return;
      for (const option of INITIALIZED_LAYERS[second] ?? []) {
        const value = propertyNamed(config, option)?.value;
        // A string names a built-in initializer, which is unseeded; a call or variable is judged where it is made.
        if (value === undefined || (value.type === AST_NODE_TYPES.Literal && typeof value.value === "string")) {
          context.report({ node, messageId: "defaultInitializer", data: { call, option } });
        }
      }
    }

    return {
      CallExpression(node) {
        if (!isPipelineCode(sourceCode, node)) return;
        const callee = node.callee;
        const member = memberPath(callee);
        if (member !== undefined && member.root.name === "Math" && member.path.join(".") === "random" && isGlobal(sourceCode, member.root)) {
          context.report({ node, messageId: "mathRandom" });
          return;
        }
        const path = tfjsPath(callee);
        if (path !== undefined) {
          checkTfjs(node, path);
          return;
        }
        if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return;
        const method = callee.property.name;
        const call = sourceCode.getText(callee);
        // tf.data's dataset.shuffle(bufferSize, seed?) and lodash's _.shuffle(array): one argument means no seed.
        if (method === "shuffle" && node.arguments.length === 1) {
          context.report({ node, messageId: "unseededShuffle", data: { call } });
          return;
        }
        // LayersModel.fit(x, y, args): `shuffle` is true unless args say false.
        if (method === "fit" && node.arguments.length >= 2) {
          const args = node.arguments[2];
          if (args !== undefined && args.type !== AST_NODE_TYPES.ObjectExpression) return;
          if (args?.properties.some((property) => property.type === AST_NODE_TYPES.SpreadElement) === true && propertyNamed(args, "shuffle") === undefined) return;
          const shuffle = args === undefined ? undefined : propertyNamed(args, "shuffle")?.value;
          if (shuffle?.type === AST_NODE_TYPES.Literal && shuffle.value === false) return;
          if (shuffle !== undefined && shuffle.type !== AST_NODE_TYPES.Literal) return;
          context.report({ node, messageId: "fitShuffles", data: { call } });
        }
      },
    };
  },
});
