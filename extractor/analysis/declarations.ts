// The top-level names a cell declares: variables (destructuring included), functions, classes, interfaces, type aliases, enums, imports.
import { Node, VariableDeclarationKind, type Identifier, type Statement } from "ts-morph";

/** What kind of thing a top-level name is. */
export type DeclarationKind = "variable" | "function" | "class" | "interface" | "type" | "enum" | "import";

/** One name declared at the top level of a cell. */
export interface TopLevelDeclaration {
  name: string;
  kind: DeclarationKind;
  cell: number;
  /** The identifier that declares the name. */
  nameNode: Identifier;
  statement: Statement;
  /** Whether the name exists at run time (a variable, function, class, enum); interfaces and type aliases do not. */
  isValue: boolean;
  /** For variables: declared with `const`. */
  isConst: boolean;
}

function bindingNames(name: Node): Identifier[] {
  if (Node.isIdentifier(name)) return [name];
  if (Node.isObjectBindingPattern(name) || Node.isArrayBindingPattern(name)) {
    return name
      .getElements()
      .flatMap((element) => (Node.isBindingElement(element) ? bindingNames(element.getNameNode()) : []));
  }
  return [];
}

/** The names `statement` declares at the top level of cell `cell`, in source order. */
export function topLevelDeclarations(statement: Statement, cell: number): TopLevelDeclaration[] {
  const make = (
    nameNode: Identifier,
    kind: DeclarationKind,
    isValue: boolean,
    isConst = false,
  ): TopLevelDeclaration => ({
    name: nameNode.getText(),
    kind,
    cell,
    nameNode,
    statement,
    isValue,
    isConst,
  });
  if (Node.isVariableStatement(statement)) {
    const isConst = statement.getDeclarationKind() === VariableDeclarationKind.Const;
    return statement
      .getDeclarations()
      .flatMap((declaration) =>
        bindingNames(declaration.getNameNode()).map((id) => make(id, "variable", true, isConst)),
      );
  }
  if (
    Node.isFunctionDeclaration(statement) ||
    Node.isClassDeclaration(statement) ||
    Node.isEnumDeclaration(statement)
  ) {
    const nameNode = statement.getNameNode();
    if (nameNode === undefined || !Node.isIdentifier(nameNode)) return [];
    const kind = Node.isFunctionDeclaration(statement)
      ? "function"
      : Node.isClassDeclaration(statement)
        ? "class"
        : "enum";
    return [make(nameNode, kind, true)];
  }
  if (Node.isInterfaceDeclaration(statement) || Node.isTypeAliasDeclaration(statement)) {
    return [make(statement.getNameNode(), Node.isInterfaceDeclaration(statement) ? "interface" : "type", false)];
  }
  if (Node.isImportDeclaration(statement)) {
    const names = [
      statement.getDefaultImport(),
      statement.getNamespaceImport(),
      ...statement.getNamedImports().map((s) => s.getAliasNode() ?? s.getNameNode()),
    ];
    return names
      .filter((id): id is Identifier => id !== undefined && Node.isIdentifier(id))
      .map((id) => make(id, "import", true));
  }
  return [];
}

/** Whether `declaration` (a declaration node from the checker) sits at the top level of its file. */
export function isTopLevelDeclaration(declaration: Node): boolean {
  let node: Node = declaration;
  while (Node.isBindingElement(node) || Node.isObjectBindingPattern(node) || Node.isArrayBindingPattern(node))
    node = node.getParentOrThrow();
  if (Node.isVariableDeclaration(node)) {
    const statement = node.getParent()?.getParent();
    return statement !== undefined && Node.isVariableStatement(statement) && Node.isSourceFile(statement.getParent());
  }
  if (
    Node.isFunctionDeclaration(node) ||
    Node.isClassDeclaration(node) ||
    Node.isInterfaceDeclaration(node) ||
    Node.isTypeAliasDeclaration(node) ||
    Node.isEnumDeclaration(node)
  ) {
    return Node.isSourceFile(node.getParent());
  }
  return false;
}
