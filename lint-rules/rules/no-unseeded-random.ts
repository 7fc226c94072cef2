// no-unseeded-random: every random choice in pipeline code is seeded, so two runs with the same parameters agree.
// With a `seed` parameter the runner seeds Math.random in every node (runtime/pipeline/seeded-random.ts), and TF.js
// initializers, ops, dropout and fit's shuffle draw their seeds from Math.random: those are not reported then.
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.ts";
import { importOf, isGlobal, memberPath, propertyNamed } from "../analysis/references.ts";
import { isPipelineCode, notebookView, roleOf } from "../notebook/notebook-view.ts";
import { generatedFrom } from "../notebook/generated-module.ts";

type Options = [{ checkDefaultInitializers?: boolean }];
type MessageId =
  | "mathRandom"
  | "opWithoutSeed"
  | "initializerWithoutSeed"
  | "layerWithoutSeed"
  | "unseedableLayer"
  | "defaultInitializer"
  | "unseededShuffle"
  | "clockShuffle"
  | "fitShuffles";

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
  "glorotUniform",
  "glorotNormal",
  "heNormal",
  "heUniform",
  "leCunNormal",
  "leCunUniform",
  "randomNormal",
  "randomUniform",
  "truncatedNormal",
  "varianceScaling",
  "orthogonal",
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
    docs: {
      description:
        "Disallow unseeded randomness in pipeline code: Math.random, TF.js random ops, initializers and layers without a seed, unseeded shuffles",
    },
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
      mathRandom:
        "`Math.random()` is unseeded: add a `seed` parameter to the notebook's parameters cell, and `cellforge run` seeds Math.random in every node.",
      opWithoutSeed:
        "`{{call}}` has no seed: add a `seed` parameter to the notebook's parameters cell (`cellforge run` then seeds Math.random, which TF.js draws a missing seed from), or pass a seed as argument {{position}}.",
      initializerWithoutSeed:
        "`{{call}}` has no seed: add a `seed` parameter to the notebook's parameters cell (`cellforge run` then seeds Math.random, which TF.js draws a missing seed from), or pass `{ seed }`.",
      layerWithoutSeed:
        "`{{call}}` has no `seed`: add a `seed` parameter to the notebook's parameters cell (`cellforge run` then seeds Math.random, which TF.js draws a missing seed from), or add `seed` to its options.",
      unseedableLayer:
        "`{{call}}` draws its noise from Math.random and takes no seed: add a `seed` parameter to the notebook's parameters cell, and `cellforge run` seeds Math.random in every node.",
      defaultInitializer:
        "`{{call}}` starts `{{option}}` from an unseeded random initializer: add a `seed` parameter to the notebook's parameters cell (`cellforge run` then seeds Math.random, which the initializer draws from), or pass `{{option}}: tf.initializers.glorotUniform({ seed })`.",
      unseededShuffle:
        "`{{call}}` shuffles with Math.random: add a `seed` parameter to the notebook's parameters cell, and `cellforge run` seeds Math.random in every node.",
      clockShuffle:
        "`{{call}}` shuffles with a generator the run's seed does not reach (tf.data seeds it from the clock, lodash keeps its own Math.random): pass a seed derived from the `seed` parameter (`ds.shuffle(bufferSize, String(seed))`).",
      fitShuffles:
        "`{{call}}` shuffles the rows with Math.random (TF.js `shuffle` defaults to true and takes no seed): add a `seed` parameter to the notebook's parameters cell, and `cellforge run` seeds Math.random, so every run shuffles alike.",
    },
  },
  defaultOptions: [{ checkDefaultInitializers: true }],
  create(context, [options]) {
    // A generated module repeats the notebook's code: its problems are reported in the notebook.
    if (generatedFrom(context.sourceCode) !== undefined) return {};
    const sourceCode = context.sourceCode;
    const view = notebookView(sourceCode);
    // The runner seeds Math.random while a node runs when the pipeline has a `seed` parameter.
    const hasSeedParameter =
      view !== undefined &&
      sourceCode.ast.body.some(
        (statement) =>
          statement.type === AST_NODE_TYPES.VariableDeclaration &&
          roleOf(view.cellOf(statement)) === "parameters" &&
          statement.declarations.some((d) => d.id.type === AST_NODE_TYPES.Identifier && d.id.name === "seed"),
      );
    /** Whether the runner seeds what `node` draws: in a node cell, or in a function (code at an export cell's top level runs at import, unseeded). */
    function seededByRunner(node: TSESTree.Node): boolean {
      if (!hasSeedParameter) return false;
      if (roleOf(view?.cellOf(node)) === "node") return true;
      // A Program's parent is null at run time, whatever its type says.
      for (let at: TSESTree.Node | null | undefined = node.parent; at !== undefined && at !== null; at = at.parent) {
        if (
          at.type === AST_NODE_TYPES.FunctionDeclaration ||
          at.type === AST_NODE_TYPES.FunctionExpression ||
          at.type === AST_NODE_TYPES.ArrowFunctionExpression
        )
          return true;
      }
      return false;
    }

    /** The TF.js path of a callee (`tf.layers.dense` → ["layers", "dense"]), when its root is imported from TF.js. */
    function tfjsPath(callee: TSESTree.Node): string[] | undefined {
      const member = callee.type === AST_NODE_TYPES.Identifier ? { root: callee, path: [] } : memberPath(callee);
      if (member === undefined) return undefined;
      const imported = importOf(sourceCode, member.root);
      if (imported === undefined || !imported.module.startsWith("@tensorflow/tfjs")) return undefined;
      return imported.imported === "*" || imported.imported === "default"
        ? member.path
        : [imported.imported, ...member.path];
    }

    function checkTfjs(node: TSESTree.CallExpression, path: readonly string[]): void {
      const call = sourceCode.getText(node.callee);
      const [first, second] = path;
      const config = node.arguments[0];
      if (path.length === 1 && first !== undefined && first in SEEDED_OPS) {
        const index = SEEDED_OPS[first] ?? 0;
        if (missing(node.arguments[index]))
          context.report({ node, messageId: "opWithoutSeed", data: { call, position: index + 1 } });
        return;
      }
      if (path.length === 2 && first === "initializers" && second !== undefined && RANDOM_INITIALIZERS.has(second)) {
        if (
          missing(config) ||
          (config?.type === AST_NODE_TYPES.ObjectExpression && propertyNamed(config, "seed") === undefined)
        ) {
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
        const method =
          callee.type === AST_NODE_TYPES.MemberExpression &&
          !callee.computed &&
          callee.property.type === AST_NODE_TYPES.Identifier
            ? callee.property.name
            : undefined;
        // tf.data's dataset.shuffle(bufferSize, seed?) seeds from the clock and lodash's _.shuffle(array) from its own copy of Math.random.
        if (method === "shuffle" && node.arguments.length === 1 && tfjsPath(callee) === undefined) {
          context.report({ node, messageId: "clockShuffle", data: { call: sourceCode.getText(callee) } });
          return;
        }
        if (seededByRunner(node)) return;
        const member = memberPath(callee);
        if (
          member !== undefined &&
          member.root.name === "Math" &&
          member.path.join(".") === "random" &&
          isGlobal(sourceCode, member.root)
        ) {
          context.report({ node, messageId: "mathRandom" });
          return;
        }
        const path = tfjsPath(callee);
        if (path !== undefined) {
          checkTfjs(node, path);
          return;
        }
        if (method === undefined) return;
        const call = sourceCode.getText(callee);
        // LayersModel.fit(x, y, args): `shuffle` is true unless args say false.
        if (method === "fit" && node.arguments.length >= 2) {
          const args = node.arguments[2];
          if (args !== undefined && args.type !== AST_NODE_TYPES.ObjectExpression) return;
          if (
            args?.properties.some((property) => property.type === AST_NODE_TYPES.SpreadElement) === true &&
            propertyNamed(args, "shuffle") === undefined
          )
            return;
          const shuffle = args === undefined ? undefined : propertyNamed(args, "shuffle")?.value;
          if (shuffle?.type === AST_NODE_TYPES.Literal && shuffle.value === false) return;
          if (shuffle !== undefined && shuffle.type !== AST_NODE_TYPES.Literal) return;
          context.report({ node, messageId: "fitShuffles", data: { call } });
        }
      },
    };
  },
});
