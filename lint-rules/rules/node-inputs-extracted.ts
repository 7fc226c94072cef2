// node-inputs-extracted: a node or predict cell may only depend on cells the extractor lifts, never on exploration.
// An untagged cell of helpers (functions, types, constants) is lifted as shared code, as extract does; one that cannot
// be gets extract's one message, at the statement that stops it.
import { helperCellMessage, type CellRef, type CellRole } from "@cellforge/contract";
import { createRule, rolesOption } from "../create-rule.ts";
import { cellDataflow, declaringCellFor } from "../notebook/cell-dataflow.ts";
import { helperBlocker } from "../notebook/helper-cells.ts";
import { describeCell, notebookView, roleOf, type CellView } from "../notebook/notebook-view.ts";

type Options = [{ roles?: CellRole[] }];

export default createRule<Options, "explorationInput" | "helperNotShareable">({
  name: "node-inputs-extracted",
  meta: {
    type: "problem",
    docs: {
      description:
        "Require node and predict cells to read only names that extracted cells (or untagged helper cells) declare",
    },
    schema: [
      {
        type: "object",
        properties: {
          roles: rolesOption("Roles of the cells whose inputs are checked (default node, predict and export)."),
        },
        additionalProperties: false,
      },
    ],
    messages: {
      explorationInput:
        "{{reader}} reads `{{name}}`, which only {{declaredIn}} declares, and that cell is tagged `skip`: remove `skip` (an untagged cell of functions, types and constants is shared code) or move the declaration into an extracted cell.",
      // The wording is extract's (helperCellMessage), so both tools say the same.
      helperNotShareable: "{{message}}",
    },
  },
  defaultOptions: [{ roles: ["node", "predict", "export"] }],
  create(context, [options]) {
    const roles = options.roles ?? ["node", "predict", "export"];
    return {
      "Program:exit"() {
        const view = notebookView(context.sourceCode);
        if (view === undefined) return;
        const skipped = new Set<string>();
        const helpers = new Map<CellView, { names: string[]; readers: CellView[] }>();
        for (const use of cellDataflow(context.sourceCode, view).uses) {
          const role = roleOf(use.cell);
          if (role === undefined || !roles.includes(role) || use.binding.isImport) continue;
          const declaring = declaringCellFor(use.binding, use.cell);
          if (declaring === undefined || declaring === use.cell || roleOf(declaring) !== "exploration") continue;
          if (declaring.directives?.errors.length) continue; // valid-directives reports that cell
          if (declaring.directives?.skip === true) {
            const key = `${use.cell.number}:${use.binding.name}`;
            if (skipped.has(key)) continue;
            skipped.add(key);
            context.report({
              node: use.identifier,
              messageId: "explorationInput",
              data: { reader: describeCell(use.cell), name: use.binding.name, declaredIn: describeCell(declaring) },
            });
            continue;
          }
          const entry = helpers.get(declaring) ?? { names: [], readers: [] };
          if (!entry.names.includes(use.binding.name)) entry.names.push(use.binding.name);
          if (!entry.readers.includes(use.cell)) entry.readers.push(use.cell);
          helpers.set(declaring, entry);
        }
        for (const [cell, { names, readers }] of helpers) {
          const found = helperBlocker(context.sourceCode, view, cell);
          if (found === undefined) continue; // shared code, as extract takes it
          const refs: CellRef[] = [...readers].sort((a, b) => a.number - b.number).map((r) => r.ref);
          context.report({
            node: found.statement,
            messageId: "helperNotShareable",
            data: { message: helperCellMessage(cell.ref, cell.source, names, refs, found.blocker) },
          });
        }
      },
    };
  },
});
