// What a `parameters` cell declares, read with the TypeScript parser: the names a run may override, their
// annotations and literal defaults (papermill-style injection in the runtime relies on it).
import type * as TypeScript from "typescript";
import type { JsonValue } from "./json-value.ts";
import { typescript } from "./typescript.ts";

/** A top-level variable of the parameters cell. */
export interface DeclaredParameter {
  name: string;
  /** The type annotation, verbatim, or null when there is none. */
  type: string | null;
  /** The kind of a scalar literal default (`10`, `-1`, `"a"`, `true`), or null for anything else. */
  literal: "number" | "string" | "boolean" | null;
  /** The default when it is a literal (scalars, and arrays and objects of them); absent otherwise. */
  value?: JsonValue;
}

/**
 * `left OPERATOR right` of two numbers (`60 * 1000`, `2 ** 10`, `1 / 3`), the arithmetic a parameters cell may write
 * with literals; undefined for another operator or a result JSON cannot hold (`1 / 0`).
 */
export function numericOperation(operator: string, left: number, right: number): number | undefined {
  const operations: Record<string, (a: number, b: number) => number> = {
    "+": (a, b) => a + b,
    "-": (a, b) => a - b,
    "*": (a, b) => a * b,
    "/": (a, b) => a / b,
    "%": (a, b) => a % b,
    "**": (a, b) => a ** b,
  };
  const value = operations[operator]?.(left, right);
  return value !== undefined && Number.isFinite(value) ? value : undefined;
}

/** The JSON value of a literal expression, or undefined when it is not one. */
function literalValue(ts: typeof TypeScript, expression: TypeScript.Expression): JsonValue | undefined {
  if (
    ts.isParenthesizedExpression(expression) ||
    ts.isAsExpression(expression) ||
    ts.isSatisfiesExpression(expression)
  ) {
    return literalValue(ts, expression.expression);
  }
  if (ts.isNumericLiteral(expression)) return Number(expression.text);
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) return expression.text;
  if (expression.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (expression.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (expression.kind === ts.SyntaxKind.NullKeyword) return null;
  if (
    ts.isPrefixUnaryExpression(expression) &&
    (expression.operator === ts.SyntaxKind.MinusToken || expression.operator === ts.SyntaxKind.PlusToken)
  ) {
    const operand = literalValue(ts, expression.operand);
    if (typeof operand !== "number") return undefined;
    return expression.operator === ts.SyntaxKind.MinusToken ? -operand : operand;
  }
  if (ts.isBinaryExpression(expression)) {
    const left = literalValue(ts, expression.left);
    const right = literalValue(ts, expression.right);
    const operator = ts.tokenToString(expression.operatorToken.kind) ?? "";
    return typeof left === "number" && typeof right === "number" ? numericOperation(operator, left, right) : undefined;
  }
  if (ts.isArrayLiteralExpression(expression)) {
    const values: JsonValue[] = [];
    for (const element of expression.elements) {
      const value = literalValue(ts, element);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values;
  }
  if (ts.isObjectLiteralExpression(expression)) {
    const result: { [key: string]: JsonValue } = {};
    for (const property of expression.properties) {
      if (!ts.isPropertyAssignment(property)) return undefined;
      const name = property.name;
      if (!ts.isIdentifier(name) && !ts.isStringLiteral(name) && !ts.isNumericLiteral(name)) return undefined;
      const value = literalValue(ts, property.initializer);
      if (value === undefined) return undefined;
      result[name.text] = value;
    }
    return result;
  }
  return undefined;
}

function scalarKind(value: JsonValue | undefined): DeclaredParameter["literal"] {
  if (typeof value === "number") return "number";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "boolean";
  return null;
}

/** Lists the top-level `const`/`let`/`var` declarations of a cell's source, in order (destructuring is skipped). */
export function declaredParameters(source: string): DeclaredParameter[] {
  const ts = typescript();
  const file = ts.createSourceFile("parameters.ts", source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declared: DeclaredParameter[] = [];
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name)) continue;
      const type = declaration.type === undefined ? null : declaration.type.getText(file);
      const value = declaration.initializer === undefined ? undefined : literalValue(ts, declaration.initializer);
      const parameter: DeclaredParameter = { name: declaration.name.text, type, literal: scalarKind(value) };
      declared.push(value === undefined ? parameter : { ...parameter, value });
    }
  }
  return declared;
}
