// Evaluates the literal initialisers of a `parameters` cell into JSON values.
import { numericOperation } from "@cellforge/contract";
import { Node, SyntaxKind } from "ts-morph";
import type { JsonValue } from "./json-schema.ts";

/** The JSON value of a literal expression (numbers, strings, booleans, null, arrays and objects of them, arithmetic of numbers), or undefined if it is not one. */
export function literalValue(expression: Node): JsonValue | undefined {
  if (
    Node.isAsExpression(expression) ||
    Node.isSatisfiesExpression(expression) ||
    Node.isParenthesizedExpression(expression)
  ) {
    return literalValue(expression.getExpression());
  }
  if (Node.isNumericLiteral(expression)) return expression.getLiteralValue();
  if (Node.isStringLiteral(expression) || Node.isNoSubstitutionTemplateLiteral(expression))
    return expression.getLiteralValue();
  if (expression.getKind() === SyntaxKind.TrueKeyword) return true;
  if (expression.getKind() === SyntaxKind.FalseKeyword) return false;
  if (expression.getKind() === SyntaxKind.NullKeyword) return null;
  if (Node.isPrefixUnaryExpression(expression)) {
    const operator = expression.getOperatorToken();
    const operand = literalValue(expression.getOperand());
    if (typeof operand !== "number") return undefined;
    if (operator === SyntaxKind.MinusToken) return -operand;
    return operator === SyntaxKind.PlusToken ? operand : undefined;
  }
  // Arithmetic of literals (`60 * 1000`), evaluated as the runtime's reading of the cell evaluates it.
  if (Node.isBinaryExpression(expression)) {
    const left = literalValue(expression.getLeft());
    const right = literalValue(expression.getRight());
    const operator = expression.getOperatorToken().getText();
    return typeof left === "number" && typeof right === "number" ? numericOperation(operator, left, right) : undefined;
  }
  if (Node.isArrayLiteralExpression(expression)) {
    const values = expression.getElements().map(literalValue);
    const present = values.filter((v): v is JsonValue => v !== undefined);
    return present.length === values.length ? present : undefined;
  }
  if (Node.isObjectLiteralExpression(expression)) {
    const result: { [key: string]: JsonValue } = {};
    for (const property of expression.getProperties()) {
      if (!Node.isPropertyAssignment(property)) return undefined;
      const initializer = property.getInitializer();
      const value = initializer === undefined ? undefined : literalValue(initializer);
      if (value === undefined) return undefined;
      const nameNode = property.getNameNode();
      result[
        Node.isStringLiteral(nameNode) || Node.isNumericLiteral(nameNode)
          ? String(nameNode.getLiteralValue())
          : nameNode.getText()
      ] = value;
    }
    return result;
  }
  return undefined;
}
