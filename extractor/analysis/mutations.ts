// Finds where a cell changes a value (assignment, `push`, `model.fit`, `{ inplace: true }`), and where it assigns a variable a new value.
import { MUTATING_FUNCTIONS, MUTATING_METHODS } from "@cellforge/contract";
import { Node, SyntaxKind, type Identifier } from "ts-morph";

const ASSIGNMENTS = new Set([
  SyntaxKind.EqualsToken,
  SyntaxKind.PlusEqualsToken,
  SyntaxKind.MinusEqualsToken,
  SyntaxKind.AsteriskEqualsToken,
  SyntaxKind.SlashEqualsToken,
  SyntaxKind.PercentEqualsToken,
  SyntaxKind.AsteriskAsteriskEqualsToken,
  SyntaxKind.AmpersandAmpersandEqualsToken,
  SyntaxKind.BarBarEqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
]);

function hasInplaceOption(args: readonly Node[]): boolean {
  return args.some(
    (arg) =>
      Node.isObjectLiteralExpression(arg) &&
      arg
        .getProperties()
        .some(
          (p) =>
            Node.isPropertyAssignment(p) &&
            p.getName() === "inplace" &&
            p.getInitializer()?.getKind() === SyntaxKind.TrueKeyword,
        ),
  );
}

/** How the expression around `id` mutates the value `id` names ("assigns to it", "calls `push` on it"), or undefined. */
export function mutationAt(id: Identifier): string | undefined {
  const call = id.getParent();
  if (Node.isCallExpression(call) && call.getArguments()[0] === id) {
    const callee = call.getExpression().getText();
    return MUTATING_FUNCTIONS.has(callee) ? `calls \`${callee}\` on it` : undefined;
  }
  // Climb through `x.a.b` / `x[i]` to the outermost member expression rooted at `id`.
  let target: Node = id;
  let viaMember = false;
  for (let parent = target.getParent(); parent !== undefined; parent = target.getParent()) {
    if (
      (Node.isPropertyAccessExpression(parent) || Node.isElementAccessExpression(parent)) &&
      parent.getExpression() === target
    ) {
      const call = parent.getParent();
      if (Node.isPropertyAccessExpression(parent) && Node.isCallExpression(call) && call.getExpression() === parent) {
        const method = parent.getName();
        if (MUTATING_METHODS.has(method)) return `calls \`${method}\` on ${viaMember ? "a member of it" : "it"}`;
        if (hasInplaceOption(call.getArguments())) return `calls \`${method}\` with \`inplace: true\``;
        return undefined;
      }
      target = parent;
      viaMember = true;
      continue;
    }
    break;
  }
  const parent = target.getParent();
  if (
    Node.isBinaryExpression(parent) &&
    parent.getLeft() === target &&
    ASSIGNMENTS.has(parent.getOperatorToken().getKind())
  ) {
    return viaMember ? "sets a property of it" : "assigns to it";
  }
  if (
    (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) &&
    [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(parent.getOperatorToken())
  ) {
    return viaMember ? "increments a property of it" : "increments it";
  }
  if (Node.isDeleteExpression(parent) && viaMember) return "deletes a property of it";
  return undefined;
}

/** Whether `id` itself gets a new value there (`x = …`, `x += …`, `x++`), as opposed to a change of what it points to. */
export function rebindingAt(id: Identifier): boolean {
  const parent = id.getParent();
  if (Node.isBinaryExpression(parent))
    return parent.getLeft() === id && ASSIGNMENTS.has(parent.getOperatorToken().getKind());
  return (
    (Node.isPrefixUnaryExpression(parent) || Node.isPostfixUnaryExpression(parent)) &&
    [SyntaxKind.PlusPlusToken, SyntaxKind.MinusMinusToken].includes(parent.getOperatorToken())
  );
}

/** Whether `id` gets a new value there or what it points to changes: `x = …`, `x.push(…)`, `model.fit(…)`. */
export function changeAt(id: Identifier): boolean {
  return rebindingAt(id) || mutationAt(id) !== undefined;
}
