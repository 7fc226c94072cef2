// The names a top-level statement declares, and the statements of one cell.
import { AST_NODE_TYPES, type TSESTree } from "@typescript-eslint/utils";

/** The names a statement declares: variables (plain identifiers), functions, classes, interfaces, types, enums. */
export function declaredNames(statement: TSESTree.ProgramStatement): string[] {
  const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.declaration !== null ? statement.declaration : statement;
  switch (declaration.type) {
    case AST_NODE_TYPES.VariableDeclaration:
      return declaration.declarations.flatMap((declarator) => (declarator.id.type === AST_NODE_TYPES.Identifier ? [declarator.id.name] : []));
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
