// node-inputs-extracted: a node or predict cell may only depend on cells the extractor lifts, never on exploration.
import type { CellRole } from "@cellforge/extractor/notebook";
import { createRule, rolesOption } from "../create-rule.ts";
import { cellDataflow, declaringCellFor } from "../notebook/cell-dataflow.ts";
import { describeCell, notebookView, roleOf } from "../notebook/notebook-view.ts";

type Options = [{ roles?: CellRole[] }];

export default createRule<Options, "explorationInput">({
  name: "node-inputs-extracted",
  meta: {
    type: "problem",
    docs: { description: "Require node and predict cells to read only names that extracted cells declare" },
    schema: [
      {
        type: "object",
        properties: {
          roles: rolesOption("Roles of the cells whose inputs are checked (default node and predict)."),
        },
        additionalProperties: false,
      },
    ],
    messages: {
      explorationInput:
        "{{reader}} reads `{{name}}`, which only exploration cell {{declaredIn}} declares, so the pipeline would not have it: tag cell {{declaredIn}} `node` (or `export` for functions and constants) or move the declaration into an extracted cell.",
    },
  },
  defaultOptions: [{ roles: ["node", "predict"] }],
  create(context, [options]) {
    const roles = options.roles ?? ["node", "predict"];
    return {
      "Program:exit"() {
        const view = notebookView(context.sourceCode);
        if (view === undefined) return;
        const reported = new Set<string>();
        for (const use of cellDataflow(context.sourceCode, view).uses) {
          const role = roleOf(use.cell);
          if (role === undefined || !roles.includes(role) || use.binding.isImport) continue;
          const declaring = declaringCellFor(use.binding, use.cell);
          if (declaring === undefined || declaring === use.cell || roleOf(declaring) !== "exploration") continue;
          const key = `${use.cell.number}:${use.binding.name}`;
          if (reported.has(key)) continue;
          reported.add(key);
          context.report({
            node: use.identifier,
            messageId: "explorationInput",
            data: { reader: describeCell(use.cell), name: use.binding.name, declaredIn: declaring.number },
          });
        }
      },
    };
  },
});
