// no-cross-cell-mutation: a node must not change a value another cell owns in place, nor assign a variable the pipeline cannot pass on.
import type { CellRole } from "@cellforge/contract";
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import { createRule, rolesOption } from "../create-rule.ts";
import { cellDataflow, declaringCellFor } from "../notebook/cell-dataflow.ts";
import { describeCell, notebookView, roleOf } from "../notebook/notebook-view.ts";

type Options = [{ roles?: CellRole[]; methods?: string[] }];
type MessageId = "assignment" | "memberAssignment" | "mutatingCall";

/** Methods that change their receiver: arrays, maps, sets, and TF.js models (training changes the weights). */
const MUTATING_METHODS = [
  "push",
  "pop",
  "shift",
  "unshift",
  "splice",
  "sort",
  "reverse",
  "fill",
  "copyWithin",
  "set",
  "add",
  "delete",
  "clear",
  "compile",
  "fit",
  "fitDataset",
  "trainOnBatch",
  "setWeights",
];

/** Functions that mutate their first argument. */
const MUTATING_FUNCTIONS = new Set([
  "Object.assign",
  "Object.defineProperty",
  "Object.defineProperties",
  "Object.setPrototypeOf",
]);

/** The outermost member expression of `a.b.c` starting from the identifier `a`. */
function memberChainTop(identifier: TSESTree.Node): TSESTree.Node {
  let current: TSESTree.Node = identifier;
  while (current.parent?.type === AST_NODE_TYPES.MemberExpression && current.parent.object === current)
    current = current.parent;
  while (
    current.parent?.type === AST_NODE_TYPES.TSNonNullExpression ||
    current.parent?.type === AST_NODE_TYPES.TSAsExpression
  )
    current = current.parent;
  return current;
}

/** Whether a call passes an options object with `inplace: true` (danfo.js's in-place operations). */
function isInPlace(call: TSESTree.CallExpression): boolean {
  return call.arguments.some(
    (argument) =>
      argument.type === AST_NODE_TYPES.ObjectExpression &&
      argument.properties.some(
        (property) =>
          property.type === AST_NODE_TYPES.Property &&
          property.key.type === AST_NODE_TYPES.Identifier &&
          property.key.name === "inplace" &&
          property.value.type === AST_NODE_TYPES.Literal &&
          property.value.value === true,
      ),
  );
}

function calleeName(callee: TSESTree.Node): string | undefined {
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.property.type === AST_NODE_TYPES.Identifier
  ) {
    return `${callee.object.name}.${callee.property.name}`;
  }
  return undefined;
}

/** How `identifier` (a use of a top-level name) mutates it, if it does through a member or a call. */
function mutation(
  identifier: TSESTree.Node,
  methods: ReadonlySet<string>,
): { messageId: MessageId; method?: string } | undefined {
  const top = memberChainTop(identifier);
  const parent = top.parent;
  if (top !== identifier && parent !== undefined) {
    if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.left === top)
      return { messageId: "memberAssignment" };
    if (parent.type === AST_NODE_TYPES.UpdateExpression) return { messageId: "memberAssignment" };
    if (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === "delete")
      return { messageId: "memberAssignment" };
  }
  if (
    top.type === AST_NODE_TYPES.MemberExpression &&
    top !== identifier &&
    parent?.type === AST_NODE_TYPES.CallExpression &&
    parent.callee === top
  ) {
    const method = top.property.type === AST_NODE_TYPES.Identifier && !top.computed ? top.property.name : undefined;
    if (method !== undefined && (methods.has(method) || isInPlace(parent)))
      return { messageId: "mutatingCall", method };
  }
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments[0] === top && top === identifier) {
    const name = calleeName(parent.callee);
    if (name !== undefined && MUTATING_FUNCTIONS.has(name)) return { messageId: "mutatingCall", method: name };
  }
  return undefined;
}

export default createRule<Options, MessageId>({
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
          // `df = df.dropNa()` in a node: extract passes the new value on as a dataset of its own (`df@NODE`).
          if (assigns && role === "node" && ["load", "node"].includes(roleOf(owner) ?? "")) continue;
          const found = assigns ? { messageId: "assignment" as const } : mutation(use.identifier, methods);
          if (found === undefined) continue;
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
