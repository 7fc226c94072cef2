// no-hardcoded-paths: file paths belong in `load` cells (which become catalog entries) and conf/, not in pipeline code.
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.ts";
import { isPipelineCode } from "../notebook/notebook-view.ts";
import { generatedFrom } from "../notebook/generated-module.ts";

type Options = [{ allow?: string[] }];

/** Extensions of files a pipeline reads or writes. */
const DATA_EXTENSIONS =
  "csv|tsv|json|jsonl|ndjson|parquet|arrow|feather|xlsx|xls|txt|yml|yaml|h5|hdf5|pb|bin|npy|npz|pkl|pickle|sqlite|db|png|jpe?g|gif|svg|wav|mp3|zip|gz|tar";

const ABSOLUTE = /^\/[^/\s]+\/[^\s]*$/; // two segments at least: "/predict" is a route, "/tmp/x" a path
const RELATIVE = /^\.{1,2}\/\S/;
const HOME = /^~\//;
const WINDOWS = /^[A-Za-z]:[\\/]|^\\\\[^\\\s]+\\/;
const FILE_URL = /^file:\/\//;
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const WITH_EXTENSION = new RegExp(`^[\\w.@-]+(?:[/\\\\][\\w.@-]+)*\\.(?:${DATA_EXTENSIONS})$`, "i");

/**
 * Whether a string looks like a file path: absolute (two segments or more), relative (`./`, `../`, `~/`), a Windows
 * path, a `file://` URL, or a name or relative path ending in a data-file extension ("data/01_raw/pokemon.csv",
 * "model.json"). URLs, routes such as "/predict", MIME types such as "text/csv" and plain words are not paths.
 */
export function looksLikePath(text: string): boolean {
  if (text.length < 3 || /\s/.test(text.trim())) return false;
  if (URL_SCHEME.test(text) && !FILE_URL.test(text)) return false;
  return (
    ABSOLUTE.test(text) ||
    RELATIVE.test(text) ||
    HOME.test(text) ||
    WINDOWS.test(text) ||
    FILE_URL.test(text) ||
    WITH_EXTENSION.test(text)
  );
}

/** Strings that name modules or types, not files. */
function isModuleOrType(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (parent === undefined) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.ImportDeclaration:
    case AST_NODE_TYPES.ExportNamedDeclaration:
    case AST_NODE_TYPES.ExportAllDeclaration:
    case AST_NODE_TYPES.ImportExpression:
    case AST_NODE_TYPES.TSExternalModuleReference:
    case AST_NODE_TYPES.TSLiteralType:
    case AST_NODE_TYPES.TSImportType:
    case AST_NODE_TYPES.TSModuleDeclaration:
    case AST_NODE_TYPES.ImportAttribute:
      return true;
    case AST_NODE_TYPES.CallExpression:
      return parent.callee.type === AST_NODE_TYPES.Identifier && parent.callee.name === "require";
    case AST_NODE_TYPES.Property:
      return parent.key === node && !parent.computed;
    case AST_NODE_TYPES.ExpressionStatement:
      return parent.directive !== undefined;
    default:
      return false;
  }
}

export default createRule<Options, "hardcodedPath">({
  name: "no-hardcoded-paths",
  meta: {
    type: "suggestion",
    docs: { description: "Disallow file-path literals in pipeline code: paths belong in `load` cells and conf/" },
    schema: [
      {
        type: "object",
        properties: {
          allow: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description: "Regular expressions of strings that are not reported.",
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      hardcodedPath:
        "`{{path}}` is a file path in pipeline code: paths are configuration; read the file in a `load` cell (it becomes a catalog dataset in conf/base/catalog.yml) and take the data as an input.",
    },
  },
  defaultOptions: [{ allow: [] }],
  create(context, [options]) {
    // A generated module repeats the notebook's code: its problems are reported in the notebook.
    if (generatedFrom(context.sourceCode) !== undefined) return {};
    const allow = (options.allow ?? []).map((pattern) => new RegExp(pattern, "u"));
    const check = (node: TSESTree.Node, text: string): void => {
      if (!looksLikePath(text) || allow.some((pattern) => pattern.test(text))) return;
      if (isModuleOrType(node) || !isPipelineCode(context.sourceCode, node)) return;
      context.report({ node, messageId: "hardcodedPath", data: { path: text } });
    };
    return {
      Literal(node) {
        if (typeof node.value === "string") check(node, node.value);
      },
      TemplateLiteral(node) {
        if (node.parent.type === AST_NODE_TYPES.TaggedTemplateExpression) return;
        // Placeholders stand for one path segment: `data/${name}.csv` is judged as "data/x.csv".
        check(node, node.quasis.map((quasi) => quasi.value.cooked ?? "").join("x"));
      },
    };
  },
});
