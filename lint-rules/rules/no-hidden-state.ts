// no-hidden-state: a cell must not read a name that only a later cell declares (the notebook runs top to bottom).
import { cellLabel } from "@cellforge/contract";
import { createRule } from "../create-rule.ts";
import { cellDataflow } from "../notebook/cell-dataflow.ts";
import { notebookView } from "../notebook/notebook-view.ts";

type Options = [{ checkFunctionBodies?: boolean }];

export default createRule<Options, "laterDeclaration">({
  name: "no-hidden-state",
  meta: {
    type: "problem",
    docs: { description: "Disallow reading a name that only a later cell declares, judged in document order" },
    schema: [
      {
        type: "object",
        properties: {
          checkFunctionBodies: {
            type: "boolean",
            description: "Also report reads inside function bodies, which only run when called (default false).",
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      laterDeclaration:
        "{{cell}} reads `{{name}}`, which only {{declaredIn}} declares, further down: the notebook works only in the order it was run; move the declaration above this cell or this code below it.",
    },
  },
  defaultOptions: [{ checkFunctionBodies: false }],
  create(context, [options]) {
    return {
      "Program:exit"() {
        const view = notebookView(context.sourceCode);
        if (view === undefined) return;
        for (const use of cellDataflow(context.sourceCode, view).uses) {
          const first = use.binding.declaredIn[0];
          if (first === undefined || first.number <= use.cell.number) continue;
          if (use.deferred && options.checkFunctionBodies !== true) continue;
          context.report({
            node: use.identifier,
            messageId: "laterDeclaration",
            data: { cell: cellLabel(use.cell.ref), name: use.binding.name, declaredIn: cellLabel(first.ref) },
          });
        }
      },
    };
  },
});
