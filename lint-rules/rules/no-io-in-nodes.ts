// no-io-in-nodes: pipeline code computes; the catalog reads and writes. Node, predict and export cells (and modules
// under pipelines/) must not touch files, the network or processes; `load` cells and the catalog do.
import { AST_NODE_TYPES, TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.ts";
import { importOf, isGlobal, memberPath, propertyNamed } from "../analysis/references.ts";
import { isPipelineCode } from "../notebook/notebook-view.ts";
import { generatedFrom } from "../notebook/generated-module.ts";

type Options = [{ modules?: string[] }];
type MessageId = "ioModule" | "ioGlobal" | "ioCall" | "modelSave";

/** Node's file, network and process modules (with or without the `node:` prefix). */
const IO_MODULES = [
  "fs",
  "fs/promises",
  "net",
  "tls",
  "http",
  "https",
  "http2",
  "dgram",
  "dns",
  "dns/promises",
  "child_process",
  "readline",
];

/** Globals that reach the network. */
const IO_GLOBALS = new Set(["fetch", "XMLHttpRequest", "WebSocket", "EventSource"]);

/** danfo.js functions that read files or URLs. */
const DANFO_READERS = new Set([
  "readCSV",
  "readJSON",
  "readExcel",
  "streamCSVTransformer",
  "streamJSON",
  "openCsvInputStream",
]);

/** TF.js functions that load models from files or URLs. */
const TFJS_LOADERS = new Set(["loadLayersModel", "loadGraphModel", "loadGraphModelSync"]);

/** Writers (danfo.js `toCSV`/`toJSON`/`toExcel`) write a file when given `filePath`. */
const WRITERS = new Set(["toCSV", "toJSON", "toExcel"]);

/** Schemes of TF.js model save/load URLs. */
const MODEL_URL = /^(?:file|https?|indexeddb|localstorage|downloads):\/\//;

function bare(module: string): string {
  return module.startsWith("node:") ? module.slice("node:".length) : module;
}

function stringValue(node: TSESTree.Node | undefined): string | undefined {
  if (node?.type === AST_NODE_TYPES.Literal && typeof node.value === "string") return node.value;
  if (node?.type === AST_NODE_TYPES.TemplateLiteral)
    return node.quasis.map((quasi) => quasi.value.cooked ?? "").join("…");
  return undefined;
}

export default createRule<Options, MessageId>({
  name: "no-io-in-nodes",
  meta: {
    type: "problem",
    docs: {
      description: "Disallow file, network and process I/O in node, predict and export cells and pipeline modules",
    },
    schema: [
      {
        type: "object",
        properties: {
          modules: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description: "More modules whose use counts as I/O.",
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      ioModule:
        "`{{name}}` comes from `{{module}}`: pipeline code must not do I/O; declare the data in a `load` cell (a catalog dataset) and take it as an input, or `save` the result.",
      ioGlobal:
        "`{{name}}` reaches the network: pipeline code must not do I/O; load the data in a `load` cell (a catalog dataset) and take it as an input.",
      ioCall:
        "`{{call}}` reads or writes outside the pipeline: move it into a `load` cell (a catalog dataset) or `save` the value through the catalog.",
      modelSave:
        "`{{call}}` writes the model outside the catalog: drop it and add `//| save: {{name}}` to this cell; the catalog writes the model to data/06_models/, the run records it and registers it for serving.",
    },
  },
  defaultOptions: [{ modules: [] }],
  create(context, [options]) {
    // A generated module repeats the notebook's code: its problems are reported in the notebook.
    if (generatedFrom(context.sourceCode) !== undefined) return {};
    const sourceCode = context.sourceCode;
    const modules = new Set([...IO_MODULES, ...(options.modules ?? [])].map(bare));
    const isIoModule = (module: string): boolean => modules.has(bare(module));
    const inPipeline = (node: TSESTree.Node): boolean => isPipelineCode(sourceCode, node);

    function checkImportedUses(scope: TSESLint.Scope.Scope): void {
      for (const variable of scope.variables) {
        const def = variable.defs.find((d) => d.type === TSESLint.Scope.DefinitionType.ImportBinding);
        if (
          def === undefined ||
          def.parent?.type !== AST_NODE_TYPES.ImportDeclaration ||
          !isIoModule(def.parent.source.value)
        )
          continue;
        for (const reference of variable.references) {
          if (reference.identifier.type !== AST_NODE_TYPES.Identifier || !inPipeline(reference.identifier)) continue;
          context.report({
            node: reference.identifier,
            messageId: "ioModule",
            data: { name: variable.name, module: def.parent.source.value },
          });
        }
      }
    }

    return {
      "Program:exit"(program: TSESTree.Program) {
        const global = sourceCode.getScope(program);
        checkImportedUses(global.childScopes.find((scope) => scope.type === TSESLint.Scope.ScopeType.module) ?? global);
        const globalUses = [
          ...global.through.filter((reference) => IO_GLOBALS.has(reference.identifier.name)),
          ...[...IO_GLOBALS].flatMap((name) => global.set.get(name)?.references ?? []),
        ];
        for (const reference of globalUses) {
          if (reference.identifier.type === AST_NODE_TYPES.Identifier && inPipeline(reference.identifier)) {
            context.report({
              node: reference.identifier,
              messageId: "ioGlobal",
              data: { name: reference.identifier.name },
            });
          }
        }
      },
      CallExpression(node) {
        if (!inPipeline(node)) return;
        if (
          node.callee.type === AST_NODE_TYPES.Identifier &&
          node.callee.name === "require" &&
          isGlobal(sourceCode, node.callee)
        ) {
          const module = stringValue(node.arguments[0]);
          if (module !== undefined && isIoModule(module))
            context.report({ node, messageId: "ioModule", data: { name: "require", module } });
          return;
        }
        const member =
          node.callee.type === AST_NODE_TYPES.Identifier ? { root: node.callee, path: [] } : memberPath(node.callee);
        if (member === undefined) return;
        // The called name as the module exports it: `dfd.readCSV` and `readCSV` (imported by name) both give readCSV.
        const imported = importOf(sourceCode, member.root);
        const chain =
          imported === undefined || imported.imported === "*" || imported.imported === "default"
            ? member.path
            : [imported.imported, ...member.path];
        const method = member.path[member.path.length - 1] ?? chain[chain.length - 1];
        if (method === undefined) return;
        const origin = imported?.module;
        const isDanfo = origin === "danfojs" || origin === "danfojs-node";
        const isTfjs = origin !== undefined && origin.startsWith("@tensorflow/tfjs");
        const options = node.arguments.find(
          (argument): argument is TSESTree.ObjectExpression => argument.type === AST_NODE_TYPES.ObjectExpression,
        );
        const savesModel = method === "save" && MODEL_URL.test(stringValue(node.arguments[0]) ?? "");
        const callee = node.callee;
        if (
          savesModel &&
          callee.type === AST_NODE_TYPES.MemberExpression &&
          callee.object.type === AST_NODE_TYPES.Identifier
        ) {
          const data = { call: sourceCode.getText(callee), name: callee.object.name };
          context.report({ node, messageId: "modelSave", data });
        } else if (
          (isDanfo && chain.length === 1 && DANFO_READERS.has(method)) ||
          (isTfjs && ((chain.length === 1 && TFJS_LOADERS.has(method)) || chain[0] === "io")) ||
          (WRITERS.has(method) && options !== undefined && propertyNamed(options, "filePath") !== undefined) ||
          savesModel
        ) {
          context.report({ node, messageId: "ioCall", data: { call: sourceCode.getText(node.callee) } });
        }
      },
      ImportExpression(node) {
        const module = stringValue(node.source);
        if (module !== undefined && isIoModule(module) && inPipeline(node))
          context.report({ node, messageId: "ioModule", data: { name: "import()", module } });
      },
    };
  },
});
