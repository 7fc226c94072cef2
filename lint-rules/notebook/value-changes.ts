// How a cell's use of a top-level name changes the value: an assignment, a property write, a mutating call. Shared by
// no-cross-cell-mutation and the cross-cell dataflow, which follows a node's change as `extract` does.
import { MUTATING_FUNCTIONS, MUTATING_METHODS } from "@cellforge/contract";
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";
import type { CellUse } from "./cell-dataflow.ts";

/** How a use changes the value, as no-cross-cell-mutation reports it. */
export type MutationMessageId = "assignment" | "memberAssignment" | "mutatingCall";

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

/** The dotted name of a callee (`Object.assign`, `tf.util.shuffle`), or undefined for anything but a chain of names. */
function calleeName(callee: TSESTree.Node): string | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return undefined;
  const object = calleeName(callee.object);
  return object === undefined || callee.property.type !== AST_NODE_TYPES.Identifier
    ? undefined
    : `${object}.${callee.property.name}`;
}

/** How `identifier` (a use of a top-level name) mutates it, if it does through a member or a call. */
export function mutation(
  identifier: TSESTree.Node,
  methods: ReadonlySet<string>,
): { messageId: MutationMessageId; method?: string } | undefined {
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

/**
 * Whether `use` gives its variable a new value or changes it in place in a way `extract` sees too (the contract's
 * mutating calls, not a rule's extra `methods`): a node doing so passes the changed value on to later cells.
 */
export function changesValue(use: CellUse): boolean {
  if (use.reference.isWrite()) return use.reference.init !== true;
  return mutation(use.identifier, MUTATING_METHODS) !== undefined;
}
