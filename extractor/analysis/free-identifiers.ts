// The names a cell reads from the notebook's top level, found with the checker so local shadowing is respected.
import { Node, ts, type Identifier, type Statement } from "ts-morph";
import { isTopLevelDeclaration } from "./declarations.ts";
import { isTypePosition } from "./type-position.ts";

/** One read of a top-level name. */
export interface IdentifierRead {
  name: string;
  node: Identifier;
  /** The read is in a type position (an annotation, `implements`), so it needs the type but no value at run time. */
  typeOnly: boolean;
}

function isDeclarationName(id: Identifier): boolean {
  const parent = id.getParent();
  return (
    Node.hasName(parent) &&
    parent.getNameNode() === id &&
    !Node.isPropertyAccessExpression(parent) &&
    !Node.isShorthandPropertyAssignment(parent)
  );
}

/**
 * The property in `x.name` or `A.name`: it names a member of what is on its left, never a top-level declaration
 * (`globalThis.name` aside). Skipping it spares the checker the type of every receiver.
 */
function isMemberName(id: Identifier): boolean {
  const parent = id.compilerNode.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === id.compilerNode)
    return !(ts.isIdentifier(parent.expression) && parent.expression.text === "globalThis");
  if (ts.isQualifiedName(parent) && parent.right === id.compilerNode)
    return !(ts.isIdentifier(parent.left) && parent.left.text === "globalThis");
  return false;
}

/** Every read, in source order, of a name declared at the top level of the joined file (by these statements or others); globals are not reads. */
export function freeIdentifiers(statements: readonly Statement[]): IdentifierRead[] {
  const reads: IdentifierRead[] = [];
  for (const statement of statements) {
    if (Node.isImportDeclaration(statement)) continue;
    statement.forEachDescendant((node) => {
      if (!Node.isIdentifier(node) || isDeclarationName(node) || isMemberName(node)) return;
      const parent = node.getParent();
      const symbol = Node.isShorthandPropertyAssignment(parent) ? parent.getValueSymbol() : node.getSymbol();
      const declarations = symbol?.getDeclarations() ?? [];
      const file = node.getSourceFile();
      if (
        !declarations.some((declaration) => declaration.getSourceFile() === file && isTopLevelDeclaration(declaration))
      )
        return;
      reads.push({ name: node.getText(), node, typeOnly: isTypePosition(node.compilerNode) });
    });
  }
  return reads;
}
