// no-committed-outputs: committed notebooks carry no outputs and no execution counts (diff noise, stale results,
// and data that should not leave the machine). The fix clears them and keeps tags and metadata.
import { cellLabel } from "@cellforge/contract";
import { createRule } from "../create-rule.ts";
import { formatMarker, markerFieldRanges } from "../notebook/cell-marker.ts";
import { notebookView } from "../notebook/notebook-view.ts";

type Options = [{ allowOutputs?: boolean; allowExecutionCounts?: boolean }];

export default createRule<Options, "outputs" | "executionCount">({
  name: "no-committed-outputs",
  meta: {
    type: "suggestion",
    docs: { description: "Disallow outputs and execution counts in committed notebooks" },
    fixable: "code",
    schema: [
      {
        type: "object",
        properties: {
          allowOutputs: {
            type: "boolean",
            description: "Keep outputs (e.g. a rendered report notebook); default false.",
          },
          allowExecutionCounts: { type: "boolean", description: "Keep execution counts; default false." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      outputs:
        "{{cell}} has {{count}} saved output(s): clear outputs before committing (this rule's fix, or Jupyter's Edit › Clear Outputs of All Cells).",
      executionCount:
        "{{cell}} has execution count {{executionCount}}: clear it before committing (this rule's fix, or Jupyter's Edit › Clear Outputs of All Cells).",
    },
  },
  defaultOptions: [{ allowOutputs: false, allowExecutionCounts: false }],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    return {
      Program() {
        const view = notebookView(sourceCode);
        if (view === undefined) return;
        for (const cell of view.cells) {
          if (cell.type !== "code") continue;
          const hasOutputs = cell.outputs > 0 && options.allowOutputs !== true;
          const hasCount = cell.executionCount !== null && options.allowExecutionCounts !== true;
          if (!hasOutputs && !hasCount) continue;
          const markerStart = cell.marker.range[0];
          const fields = markerFieldRanges(sourceCode.text.slice(markerStart, cell.marker.range[1]));
          const field = (hasOutputs ? fields.outputs : fields.executionCount) ?? [0, 0];
          const cleared = formatMarker({
            number: cell.number,
            type: cell.type,
            tags: cell.tags,
            outputs: options.allowOutputs === true ? cell.outputs : 0,
            executionCount: options.allowExecutionCounts === true ? cell.executionCount : null,
          });
          context.report({
            loc: {
              start: sourceCode.getLocFromIndex(markerStart + field[0]),
              end: sourceCode.getLocFromIndex(markerStart + field[1]),
            },
            messageId: hasOutputs ? "outputs" : "executionCount",
            data: { cell: cellLabel(cell.ref), count: cell.outputs, executionCount: String(cell.executionCount) },
            fix: (fixer) => fixer.replaceText(cell.marker, cleared),
          });
        }
      },
    };
  },
});
