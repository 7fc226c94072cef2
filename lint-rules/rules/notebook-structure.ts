// notebook-structure: a notebook reads as a document, as pynblint asks: an H1 title in its first markdown cell, and
// a markdown cell that introduces each node and predict cell; and a notebook that imports TensorFlow.js picks the
// backend `cellforge run` uses (`useFastestBackend()`), instead of TF.js's slow JavaScript one and its install banner.
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.ts";
import { describeCell, notebookView, roleOf, type CellView } from "../notebook/notebook-view.ts";

type Options = [
  {
    requireTitle?: boolean;
    requireNodeIntroductions?: boolean;
    maxCodeCellsBetween?: number;
    requireBackend?: boolean;
  },
];
type MessageId = "noMarkdown" | "noTitle" | "noIntroduction" | "noBackend";

/** Whether markdown has a level-1 heading (`# Title`, or a line underlined with `===`) outside fenced code blocks. */
export function hasTitle(markdown: string): boolean {
  let fenced = false;
  let previous = "";
  for (const line of markdown.split(/\r?\n/)) {
    if (/^ {0,3}(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && (/^ {0,3}#[ \t]+\S/.test(line) || (/^ {0,3}=+[ \t]*$/.test(line) && /\S/.test(previous))))
      return true;
    previous = fenced ? "" : line;
  }
  return false;
}

export default createRule<Options, MessageId>({
  name: "notebook-structure",
  meta: {
    type: "suggestion",
    docs: {
      description:
        "Require an H1 title in the first markdown cell and a markdown cell before each node and predict cell",
    },
    schema: [
      {
        type: "object",
        properties: {
          requireTitle: {
            type: "boolean",
            description: "Require an H1 title (`# …`) in the first markdown cell; default true.",
          },
          requireNodeIntroductions: {
            type: "boolean",
            description: "Require a markdown cell before each node and predict cell; default true.",
          },
          maxCodeCellsBetween: {
            type: "integer",
            minimum: 0,
            description:
              "How many code cells may sit between that markdown cell and the node; default 0 (right before it).",
          },
          requireBackend: {
            type: "boolean",
            description: "Require `useFastestBackend()` in a notebook that imports TensorFlow.js; default true.",
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      noMarkdown:
        "the notebook has no markdown cell: start it with one holding an H1 title (`# What this notebook does`).",
      noTitle: "the notebook's first markdown cell has no H1 title: start it with `# What this notebook does`.",
      noIntroduction:
        "{{cell}} has no markdown cell right before it: add one with a heading that says what it computes (the heading also names the node).",
      noBackend:
        '{{cell}} imports TensorFlow.js, but the notebook never picks a backend: add `import { useFastestBackend } from "@cellforge/runtime/tfjs";` and `await useFastestBackend();`, so it runs on the backend `cellforge run` uses (WebAssembly, or tfjs-node when installed), not TF.js\'s plain JavaScript one with its "install the node backend" banner.',
    },
  },
  defaultOptions: [
    { requireTitle: true, requireNodeIntroductions: true, maxCodeCellsBetween: 0, requireBackend: true },
  ],
  create(context, [options]) {
    const report = (
      cell: CellView | undefined,
      node: TSESTree.Node,
      messageId: MessageId,
      data: Record<string, string | number> = {},
    ): void => {
      if (cell === undefined) context.report({ node, messageId, data });
      else context.report({ loc: cell.marker.loc, messageId, data });
    };
    return {
      Program(node) {
        const view = notebookView(context.sourceCode);
        if (view === undefined) return;
        if (options.requireTitle !== false) {
          const first = view.cells.find((cell) => cell.type === "markdown");
          if (first === undefined) report(view.cells[0], node, "noMarkdown");
          else if (!hasTitle(first.source)) report(first, node, "noTitle");
        }
        if (options.requireBackend !== false) {
          const imports = node.body.filter(
            (s): s is TSESTree.ImportDeclaration => s.type === AST_NODE_TYPES.ImportDeclaration,
          );
          const tfjs = imports.find(
            (i) => i.source.value === "@tensorflow/tfjs" || i.source.value.startsWith("@tensorflow/tfjs-"),
          );
          const picksBackend = imports.some((i) =>
            i.specifiers.some(
              (s) =>
                s.type === AST_NODE_TYPES.ImportSpecifier &&
                s.imported.type === AST_NODE_TYPES.Identifier &&
                s.imported.name === "useFastestBackend",
            ),
          );
          if (tfjs !== undefined && !picksBackend) {
            const cell = view.cellOf(tfjs);
            report(cell, tfjs, "noBackend", { cell: cell === undefined ? "this notebook" : describeCell(cell) });
          }
        }
        if (options.requireNodeIntroductions === false) return;
        const allowed = options.maxCodeCellsBetween ?? 0;
        let codeSinceMarkdown = Infinity;
        for (const cell of view.cells) {
          if (cell.type === "markdown") {
            codeSinceMarkdown = 0;
            continue;
          }
          if (cell.type !== "code") continue;
          const role = roleOf(cell);
          if ((role === "node" || role === "predict") && codeSinceMarkdown > allowed) {
            report(cell, node, "noIntroduction", { cell: describeCell(cell) });
          }
          codeSinceMarkdown++;
        }
      },
    };
  },
});
