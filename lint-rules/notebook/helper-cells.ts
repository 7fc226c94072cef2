// Untagged helper cells as the extractor sees them: a cell of functions, types and constants that extracted cells read
// is taken as an `export` cell; the first statement that stops it (runs code, holds state, reads pipeline data) is
// found by the same rules as extractor/analysis/helpers.ts, so lint and extract give the same one message.
import type { HelperBlocker } from "@cellforge/contract";
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { cellDataflow, declaringCellFor } from "./cell-dataflow.ts";
import { roleOf, type CellView, type NotebookView } from "./notebook-view.ts";

const DATA = new Set(["node", "load", "parameters", "predict"]);

function unwrap(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (
    current.type === AST_NODE_TYPES.TSAsExpression ||
    current.type === AST_NODE_TYPES.TSSatisfiesExpression ||
    current.type === AST_NODE_TYPES.TSNonNullExpression
  ) {
    current = current.expression;
  }
  return current;
}

function awaitsOutsideFunctions(node: TSESTree.Node): boolean {
  if (node.type === AST_NODE_TYPES.AwaitExpression) return true;
  if (node.type === AST_NODE_TYPES.ArrowFunctionExpression || node.type === AST_NODE_TYPES.FunctionExpression)
    return false;
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (
        typeof child === "object" &&
        child !== null &&
        "type" in child &&
        child !== node.parent &&
        awaitsOutsideFunctions(child as TSESTree.Node)
      )
        return true;
    }
  }
  return false;
}

function isDisplayOnly(statement: TSESTree.ExpressionStatement): boolean {
  const e = statement.expression;
  return (
    e.type === AST_NODE_TYPES.Identifier ||
    (e.type === AST_NODE_TYPES.MemberExpression && !e.computed && e.object.type === AST_NODE_TYPES.Identifier)
  );
}

function syntaxBlocker(statement: TSESTree.ProgramStatement, line: number): HelperBlocker | undefined {
  switch (statement.type) {
    case AST_NODE_TYPES.ImportDeclaration:
    case AST_NODE_TYPES.FunctionDeclaration:
    case AST_NODE_TYPES.ClassDeclaration:
    case AST_NODE_TYPES.TSInterfaceDeclaration:
    case AST_NODE_TYPES.TSTypeAliasDeclaration:
    case AST_NODE_TYPES.TSEnumDeclaration:
    case AST_NODE_TYPES.EmptyStatement:
      return undefined;
    case AST_NODE_TYPES.ExpressionStatement:
      return isDisplayOnly(statement) ? undefined : { reason: "side-effect", line };
    case AST_NODE_TYPES.VariableDeclaration: {
      const name = (d: TSESTree.VariableDeclarator | undefined): string =>
        d?.id.type === AST_NODE_TYPES.Identifier ? d.id.name : "";
      if (statement.kind !== "const") return { reason: "mutable", line, name: name(statement.declarations[0]) };
      for (const declarator of statement.declarations) {
        if (declarator.init === null) continue;
        if (unwrap(declarator.init).type === AST_NODE_TYPES.NewExpression)
          return { reason: "mutable", line, name: name(declarator) };
        if (awaitsOutsideFunctions(declarator.init)) return { reason: "side-effect", line };
      }
      return undefined;
    }
    default:
      return { reason: "side-effect", line };
  }
}

/** The 1-based line in `cell` of a view offset. */
export function lineInCell(cell: CellView, offset: number): number {
  let line = 1;
  for (const char of cell.source.slice(0, Math.max(0, offset - cell.range[0]))) if (char === "\n") line++;
  return line;
}

/** The first statement of an untagged cell that keeps it from being shared code, with that statement; undefined when it can be. */
export function helperBlocker(
  sourceCode: Readonly<TSESLint.SourceCode>,
  view: NotebookView,
  cell: CellView,
): { blocker: HelperBlocker; statement: TSESTree.ProgramStatement } | undefined {
  const { uses } = cellDataflow(sourceCode, view);
  for (const statement of sourceCode.ast.body) {
    if (view.cellOf(statement.range[0]) !== cell) continue;
    const line = lineInCell(cell, statement.range[0]);
    const syntax = syntaxBlocker(statement, line);
    if (syntax !== undefined) return { blocker: syntax, statement };
    for (const use of uses) {
      if (
        use.cell !== cell ||
        use.identifier.range[0] < statement.range[0] ||
        use.identifier.range[0] >= statement.range[1] ||
        use.binding.isImport
      )
        continue;
      if (use.binding.declaredIn.includes(cell)) continue;
      const owner = declaringCellFor(use.binding, cell);
      const role = roleOf(owner);
      if (owner === undefined || role === undefined || !DATA.has(role)) continue;
      return {
        blocker: { reason: "reads-data", line, name: use.binding.name, ownerRole: role, owner: owner.ref },
        statement,
      };
    }
  }
  return undefined;
}
