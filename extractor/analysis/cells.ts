// Per code cell: its statements in the joined file, what it declares and reads, whether it awaits, and its code as text.
import { Node, SyntaxKind, type SourceFile, type Statement } from "ts-morph";
import type { ResolvedCellDirectives } from "@cellforge/contract";
import { topLevelDeclarations, type TopLevelDeclaration } from "./declarations.ts";
import { freeIdentifiers, type IdentifierRead } from "./free-identifiers.ts";
import type { HoistedDeclaration } from "./model.ts";
import type { CellSegment, VirtualFile } from "./virtual-file.ts";

/** One code cell as analysis sees it. */
export interface CellInfo {
  directives: ResolvedCellDirectives;
  segment: CellSegment;
  statements: readonly Statement[];
  declarations: readonly TopLevelDeclaration[];
  reads: readonly IdentifierRead[];
  /** The cell awaits at its top level (so its node function is async). */
  awaits: boolean;
  /** An untagged cell of helpers (functions, types, constants) that nodes use, taken as an `export` cell. */
  helper?: boolean;
}

function isAwait(node: Node): boolean {
  return Node.isAwaitExpression(node) || (Node.isForOfStatement(node) && node.isAwaited());
}

function awaitsAtTopLevel(statements: readonly Statement[]): boolean {
  return statements.some((statement) =>
    [statement, ...statement.getDescendants()].some(
      (node) =>
        isAwait(node) && node.getFirstAncestor((ancestor) => Node.isFunctionLikeDeclaration(ancestor)) === undefined,
    ),
  );
}

/** Builds the cell infos of every code cell, in document order. */
export function analyzeCells(
  file: SourceFile,
  virtual: VirtualFile,
  directives: readonly ResolvedCellDirectives[],
): CellInfo[] {
  const statements = file.getStatements();
  return virtual.segments.map((segment) => {
    const cellDirectives = directives.find((d) => d.cell === segment.cell);
    if (cellDirectives === undefined) throw new Error(`internal: no directives for cell ${segment.cell}`);
    const own = statements.filter(
      (s) => s.getStart() >= segment.start && s.getStart() < segment.end && s.getKind() !== SyntaxKind.EmptyStatement,
    );
    const declarations = own.flatMap((s) => topLevelDeclarations(s, segment.cell));
    const declared = new Set(declarations.map((d) => d.name));
    return {
      directives: cellDirectives,
      segment,
      statements: own,
      declarations,
      // Free: names the cell itself declares are its own, even where the checker binds a redeclared name to an earlier cell.
      reads: freeIdentifiers(own).filter((read) => !declared.has(read.name)),
      awaits: awaitsAtTopLevel(own),
    };
  });
}

/** What to change in a cell's text when lifting it into a module. */
export interface BodyEdits {
  /** Statements to leave out (imports, hoisted types, display-only expressions). */
  remove?: readonly Statement[];
  /** Statements to replace by an empty block `{}` (a display call that is the whole body of an `if`). */
  empty?: readonly Statement[];
  /** Statements to prefix with `export `. */
  exportStatements?: readonly Statement[];
}

/** The text a statement takes, its JSDoc included. */
export function statementText(statement: Statement, segment: CellSegment): string {
  return statement
    .getSourceFile()
    .getFullText()
    .slice(statement.getStart(true), Math.min(statement.getEnd(), segment.end));
}

/** A cell's code as it goes into a generated module: directive lines and removed statements dropped, blank lines tidied. */
export function cellBody(cell: CellInfo, file: SourceFile, edits: BodyEdits = {}): string {
  const { segment } = cell;
  const full = file.getFullText();
  const cuts: Array<{ start: number; end: number; insert: string }> = [];
  for (const statement of edits.remove ?? [])
    cuts.push({ start: statement.getStart(true), end: Math.min(statement.getEnd(), segment.end), insert: "" });
  for (const statement of edits.empty ?? [])
    cuts.push({ start: statement.getStart(true), end: Math.min(statement.getEnd(), segment.end), insert: "{}" });
  for (const statement of edits.exportStatements ?? [])
    cuts.push({ start: statement.getStart(), end: statement.getStart(), insert: "export " });
  cuts.sort((a, b) => a.start - b.start);
  let text = "";
  let at = segment.start;
  for (const cut of cuts) {
    text += full.slice(at, cut.start) + cut.insert;
    at = Math.max(at, cut.end);
  }
  text += full.slice(at, segment.end);
  // Directive lines are `//|` comments (one below code is already an error), so they can be dropped by content.
  const lines = text.split(/\r?\n/).filter((line) => !/^\s*\/\/\|/.test(line));
  const tidy: string[] = [];
  for (const line of lines.map((l) => l.replace(/\s+$/, ""))) {
    if (line === "" && (tidy.length === 0 || tidy[tidy.length - 1] === "")) continue;
    tidy.push(line);
  }
  while (tidy[tidy.length - 1] === "") tidy.pop();
  return tidy.join("\n");
}

/** Whether a statement only shows a value in the notebook (`df` or `df.shape` alone on a line): generated code leaves it out. */
export function isDisplayOnly(statement: Statement): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  const expression = statement.getExpression();
  return (
    Node.isIdentifier(expression) ||
    (Node.isPropertyAccessExpression(expression) && Node.isIdentifier(expression.getExpression()))
  );
}

/**
 * Whether a statement is a call of tslab's display (`tslab.display.html(chart)`, or `display.png(…)` imported by name):
 * it shows a chart or a table in the notebook, and throws outside a kernel, so a node or predict body leaves it out.
 */
export function isTslabDisplay(statement: Statement): boolean {
  if (!Node.isExpressionStatement(statement)) return false;
  const call = statement.getExpression();
  if (!Node.isCallExpression(call)) return false;
  const chain: string[] = [];
  let target: Node = call.getExpression();
  while (Node.isPropertyAccessExpression(target)) {
    chain.unshift(target.getName());
    target = target.getExpression();
  }
  if (!Node.isIdentifier(target)) return false;
  // `import * as tslab` → tslab.display.…; `import { display }` → display.…: the names first, the checker only then.
  const viaNamespace = chain[0] === "display";
  if (!viaNamespace && target.getText() !== "display") return false;
  return (target.getSymbol()?.getDeclarations() ?? []).some(
    (declaration) =>
      Node.isNamespaceImport(declaration) === viaNamespace &&
      declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration)?.getModuleSpecifierValue() === "tslab",
  );
}

/** A cell's interfaces and type aliases, lifted to the top of its generated module, and the statements its body leaves out. */
export interface HoistedTypes {
  types: HoistedDeclaration[];
  /** Imports, display-only expressions, tslab display calls and the hoisted types: what `cellBody` drops. */
  remove: Statement[];
  /** tslab display calls that are the whole body of an `if` or a loop: `cellBody` makes them `{}`. */
  empty: Statement[];
}

/** Hoists a node or predict cell's types out of its body (a function body cannot export them). */
export function hoistTypes(cell: CellInfo): HoistedTypes {
  const hoisted: Statement[] = cell.statements.filter(
    (s) => Node.isInterfaceDeclaration(s) || Node.isTypeAliasDeclaration(s),
  );
  const types = hoisted.map((statement) => ({
    name: cell.declarations.find((d) => d.statement === statement)?.name ?? "",
    cell: cell.segment.cell,
    text: statementText(statement, cell.segment),
  }));
  const remove: Statement[] = cell.statements.filter(
    (s) => Node.isImportDeclaration(s) || isDisplayOnly(s) || isTslabDisplay(s) || hoisted.includes(s),
  );
  // A display call inside a block (a chart per epoch in a training loop) goes too; one that is the whole body of an
  // `if` or a loop (no braces) becomes an empty block, so that the code around it keeps its meaning.
  const empty: Statement[] = [];
  for (const statement of cell.statements) {
    if (remove.includes(statement)) continue;
    for (const nested of statement.getDescendantsOfKind(SyntaxKind.ExpressionStatement)) {
      if (!isTslabDisplay(nested)) continue;
      (Node.isBlock(nested.getParent()) ? remove : empty).push(nested);
    }
  }
  return { types, remove, empty };
}
