// valid-directives: every cell tag and `//|` line meant for cellforge is a known, well-formed, non-conflicting directive.
import { DIRECTIVE_KINDS, didYouMean, type DirectiveError, type DirectiveErrorCode } from "@cellforge/contract";
import type { TSESLint, TSESTree } from "@typescript-eslint/utils";
import { createRule } from "../create-rule.ts";
import { markerFieldRanges } from "../notebook/cell-marker.ts";
import { notebookView, type CellView } from "../notebook/notebook-view.ts";

type MessageId =
  | "unknownDirective"
  | "conflictingDirectives"
  | "invalidArgument"
  | "misplacedDirective"
  | "missingNodeName"
  | "duplicateNodeName"
  | "duplicatePredict"
  | "replaceDirective";

const MESSAGE_OF: Record<DirectiveErrorCode, MessageId> = {
  "unknown-directive": "unknownDirective",
  "conflicting-directives": "conflictingDirectives",
  "invalid-argument": "invalidArgument",
  "misplaced-directive": "misplacedDirective",
  "missing-node-name": "missingNodeName",
  "duplicate-node-name": "duplicateNodeName",
  "duplicate-predict": "duplicatePredict",
};

const KEYWORD = /^(\s*)([A-Za-z][\w-]*)/;

/** The directive text with its keyword replaced by the parser's did-you-mean, if it has one. */
function corrected(text: string): { text: string; keyword: string } | undefined {
  const match = KEYWORD.exec(text);
  const keyword = match?.[2];
  if (match === null || keyword === undefined) return undefined;
  const guess = didYouMean(keyword, DIRECTIVE_KINDS);
  if (guess === undefined) return undefined;
  return { text: `${match[1] ?? ""}${guess}${text.slice(match[0].length)}`, keyword: guess };
}

export default createRule<[], MessageId>({
  name: "valid-directives",
  meta: {
    type: "problem",
    docs: {
      description:
        "Require cell tags and `//|` lines meant for cellforge to be known, well-formed and consistent directives",
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      unknownDirective: "{{detail}}",
      conflictingDirectives: "{{detail}}",
      invalidArgument: "{{detail}}",
      misplacedDirective: "{{detail}}",
      missingNodeName: "{{detail}}",
      duplicateNodeName: "{{detail}}",
      duplicatePredict: "{{detail}}",
      replaceDirective: "Replace it with `{{suggestion}}`.",
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;

    /** Where an error is: the `//|` line, the tag inside the cell's marker, or the marker. */
    function locate(cell: CellView, error: DirectiveError): { range: [number, number]; text: string } {
      if (error.location.line !== undefined) {
        const first = sourceCode.getLocFromIndex(cell.range[0]).line;
        const line = first + error.location.line - 1;
        const start = sourceCode.getIndexFromLoc({ line, column: 0 });
        const text = sourceCode.lines[line - 1] ?? "";
        return { range: [start, start + text.length], text };
      }
      const markerText = sourceCode.text.slice(cell.marker.range[0], cell.marker.range[1]);
      const tagIndex = error.location.tag === undefined ? -1 : cell.tags.indexOf(error.location.tag);
      const tagRange = markerFieldRanges(markerText).tags[tagIndex];
      if (tagRange !== undefined) {
        const range: [number, number] = [cell.marker.range[0] + tagRange[0], cell.marker.range[0] + tagRange[1]];
        return { range, text: sourceCode.text.slice(range[0], range[1]) };
      }
      return { range: [cell.marker.range[0], cell.marker.range[1]], text: markerText };
    }

    /** A suggestion replacing a misspelt keyword, in a `//|` line or in the tag's JSON string. */
    function suggest(
      error: DirectiveError,
      where: { range: [number, number]; text: string },
    ): TSESLint.ReportSuggestionArray<MessageId> {
      if (error.code !== "unknown-directive") return [];
      if (error.location.line !== undefined) {
        const comment = /^(\s*\/\/\|)(.*)$/.exec(where.text);
        const fixed = comment === null ? undefined : corrected(comment[2] ?? "");
        if (comment === null || fixed === undefined) return [];
        return [
          {
            messageId: "replaceDirective",
            data: { suggestion: `//|${fixed.text}`.trim() },
            fix: (fixer) => fixer.replaceTextRange(where.range, `${comment[1] ?? ""}${fixed.text}`),
          },
        ];
      }
      const tag = error.location.tag;
      const fixed = tag === undefined ? undefined : corrected(tag);
      if (fixed === undefined || !where.text.startsWith('"')) return [];
      return [
        {
          messageId: "replaceDirective",
          data: { suggestion: fixed.text },
          fix: (fixer) => fixer.replaceTextRange(where.range, JSON.stringify(fixed.text)),
        },
      ];
    }

    return {
      Program(node: TSESTree.Program) {
        const view = notebookView(sourceCode);
        if (view === undefined) return;
        for (const error of view.directives.errors) {
          const cell = view.cells.find((c) => c.number === error.location.cell);
          if (cell === undefined) {
            context.report({ node, messageId: MESSAGE_OF[error.code], data: { detail: error.message } });
            continue;
          }
          const where = locate(cell, error);
          context.report({
            loc: { start: sourceCode.getLocFromIndex(where.range[0]), end: sourceCode.getLocFromIndex(where.range[1]) },
            messageId: MESSAGE_OF[error.code],
            data: { detail: error.detail },
            suggest: suggest(error, where),
          });
        }
      },
    };
  },
});
