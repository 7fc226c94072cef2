// no-cross-cell-mutation: a node must not change a value another cell owns in place, nor assign a variable the pipeline cannot pass on.
import { MUTATING_METHODS, type CellRole } from "@cellforge/contract";
import { createRule, rolesOption } from "../create-rule.ts";
import { cellDataflow, declaringCellFor } from "../notebook/cell-dataflow.ts";
import { changesValue, mutation, type MutationMessageId } from "../notebook/value-changes.ts";
import { describeCell, notebookView, roleOf } from "../notebook/notebook-view.ts";

type Options = [{ roles?: CellRole[]; methods?: string[] }];

export default createRule<Options, MutationMessageId>({
  name: "no-cross-cell-mutation",
  meta: {
    type: "problem",
    docs: { description: "Disallow a node cell changing a value that another cell declares" },
    schema: [
      {
        type: "object",
        properties: {
          roles: rolesOption("Roles of the cells checked (default node and predict)."),
          methods: {
            type: "array",
            items: { type: "string" },
            uniqueItems: true,
            description: "More method names that mutate their receiver.",
          },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      assignment:
        "{{cell}} assigns `{{name}}`, which {{owner}} declares: only a node may give a `load` or `node` cell's variable a new value (the pipeline passes it on as a dataset of its own); declare a new name here (e.g. `const {{name}}2 = …`).",
      memberAssignment:
        "{{cell}} changes a property of `{{name}}`, which {{owner}} declares: the pipeline passes values between nodes, so the change is lost or leaks; build a new value (`{ ...{{name}}, key: value }`) in this cell.",
      mutatingCall:
        "{{cell}} calls `{{method}}` on `{{name}}`, which {{owner}} declares, and changes it in place: copy it first (e.g. `[...{{name}}]`) or move the change into {{owner}}.",
    },
  },
  defaultOptions: [{ roles: ["node", "predict"], methods: [] }],
  create(context, [options]) {
    const roles = options.roles ?? ["node", "predict"];
    const methods = new Set([...MUTATING_METHODS, ...(options.methods ?? [])]);
    return {
      "Program:exit"() {
        const view = notebookView(context.sourceCode);
        if (view === undefined) return;
        for (const use of cellDataflow(context.sourceCode, view).uses) {
          const role = roleOf(use.cell);
          if (
            role === undefined ||
            !roles.includes(role) ||
            use.binding.isImport ||
            use.binding.declaredIn.includes(use.cell)
          )
            continue;
          const owner = declaringCellFor(use.binding, use.cell);
          if (owner === undefined) continue;
          const assigns = use.reference.isWrite() && use.reference.init !== true;
          const found = assigns ? { messageId: "assignment" as const } : mutation(use.identifier, methods);
          if (found === undefined) continue;
          // `df = df.dropNa()` or `model.fit(…)` in a node: extract passes the new or changed value on to the cells
          // after it as a dataset of its own (`df@NODE`), so notebook and pipeline agree.
          if (role === "node" && ["load", "node"].includes(roleOf(owner) ?? "") && changesValue(use)) continue;
          context.report({
            node: use.identifier,
            messageId: found.messageId,
            data: {
              cell: describeCell(use.cell),
              name: use.binding.name,
              owner: describeCell(owner),
              method: found.method ?? "",
            },
          });
        }
      },
    };
  },
});
