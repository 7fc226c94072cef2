// Whether an identifier is read as a type only, shared by analysis (over ts-morph's compiler nodes) and codegen (over parsed text).
import { ts } from "ts-morph";

/** Whether `node` sits in a type position (an annotation, `implements`), so it needs the type but no value at run time; needs parent pointers. */
export function isTypePosition(node: ts.Node): boolean {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (ts.isTypeQueryNode(current)) return false; // `typeof x` needs the value x
    if (ts.isHeritageClause(current))
      return current.token === ts.SyntaxKind.ImplementsKeyword || ts.isInterfaceDeclaration(current.parent);
    if (ts.isTypeNode(current) && !ts.isExpressionWithTypeArguments(current)) return true;
    if (ts.isStatement(current) || ts.isSourceFile(current)) return false;
  }
  return false;
}
