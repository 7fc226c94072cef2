// The names a top-level statement declares, and the statements of one cell.
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";

/** The names a binding pattern binds: `x`, `{ a, b: c }`, `[d, ...e]`, with defaults. */
function bindingNames(pattern: TSESTree.Node): string[] {
  switch (pattern.type) {
    case AST_NODE_TYPES.Identifier:
      return [pattern.name];
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.flatMap((property) =>
        bindingNames(property.type === AST_NODE_TYPES.Property ? property.value : property),
      );
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.flatMap((element) => (element === null ? [] : bindingNames(element)));
    case AST_NODE_TYPES.AssignmentPattern:
      return bindingNames(pattern.left);
    case AST_NODE_TYPES.RestElement:
      return bindingNames(pattern.argument);
    default:
      return [];
  }
}

/** The names a statement declares: variables (destructured ones too, as the extractor counts them), functions, classes, interfaces, types, enums. */
export function declaredNames(statement: TSESTree.ProgramStatement): string[] {
  const declaration =
    statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.declaration !== null
      ? statement.declaration
      : statement;
  switch (declaration.type) {
    case AST_NODE_TYPES.VariableDeclaration:
      return declaration.declarations.flatMap((declarator) => bindingNames(declarator.id));
    case AST_NODE_TYPES.FunctionDeclaration:
    case AST_NODE_TYPES.ClassDeclaration:
      return declaration.id === null ? [] : [declaration.id.name];
    case AST_NODE_TYPES.TSInterfaceDeclaration:
    case AST_NODE_TYPES.TSTypeAliasDeclaration:
    case AST_NODE_TYPES.TSEnumDeclaration:
      return [declaration.id.name];
    default:
      return [];
  }
}

/** The top-level statements that lie within `range` (a cell's source). */
export function statementsIn(program: TSESTree.Program, range: readonly [number, number]): TSESTree.ProgramStatement[] {
  return program.body.filter((statement) => statement.range[0] >= range[0] && statement.range[1] <= range[1]);
}
