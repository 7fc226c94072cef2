// max-cell-lines: a code cell stays short enough to read, run and extract as one step.
import { createRule } from "../create-rule.ts";
import { cellLabel } from "@cellforge/contract";
import { notebookView } from "../notebook/notebook-view.ts";

type Options = [{ max?: number; skipBlankLines?: boolean; skipComments?: boolean }];

export default createRule<Options, "tooLong">({
  name: "max-cell-lines",
  meta: {
    type: "suggestion",
    docs: { description: "Limit the number of lines in a notebook code cell" },
    schema: [
      {
        type: "object",
        properties: {
          max: { type: "integer", minimum: 1, description: "Most lines a code cell may have; default 40." },
          skipBlankLines: { type: "boolean", description: "Do not count blank lines; default true." },
          skipComments: { type: "boolean", description: "Do not count lines holding only comments; default true." },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      tooLong:
        "{{cell}} has {{count}} lines of code (at most {{max}}): split it, e.g. move helper functions into an `export` cell.",
    },
  },
  defaultOptions: [{ max: 40, skipBlankLines: true, skipComments: true }],
  create(context, [options]) {
    const sourceCode = context.sourceCode;
    const max = options.max ?? 40;
    return {
      Program() {
        const view = notebookView(sourceCode);
        if (view === undefined) return;
        // Lines that hold code: every line a token spans (a template literal can span several).
        const codeLines = new Set<number>();
        if (options.skipComments !== false) {
          for (const token of sourceCode.ast.tokens)
            for (let line = token.loc.start.line; line <= token.loc.end.line; line++) codeLines.add(line);
        }
        for (const cell of view.cells) {
          if (cell.type !== "code" || cell.range[1] <= cell.range[0]) continue;
          const first = sourceCode.getLocFromIndex(cell.range[0]).line;
          const last = sourceCode.getLocFromIndex(cell.range[1]).line;
          const directiveLines = new Set(cell.directives?.directiveLines.map((line) => first + line - 1));
          let count = 0;
          for (let line = first; line <= last; line++) {
            const text = sourceCode.lines[line - 1] ?? "";
            if (directiveLines.has(line)) continue;
            if (options.skipComments !== false && !codeLines.has(line)) continue;
            if (options.skipBlankLines !== false && text.trim() === "") continue;
            count++;
          }
          if (count > max) {
            context.report({
              loc: {
                start: { line: first, column: 0 },
                end: { line: first, column: (sourceCode.lines[first - 1] ?? "").length },
              },
              messageId: "tooLong",
              data: { cell: cellLabel(cell.ref), count, max },
            });
          }
        }
      },
    };
  },
});
