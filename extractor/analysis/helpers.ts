// Untagged helper cells: a cell that only declares functions, types and constants that extracted cells use is taken
// as an `export` cell (as nbdev and Kale do); one that cannot be (it runs code, holds state or reads pipeline data)
// gets one error, at the statement that stops it.
import { Node, VariableDeclarationKind, type Statement } from "ts-morph";
import { helperCellMessage, type HelperBlocker } from "@cellforge/contract";
import { isDisplayOnly, type CellInfo } from "./cells.ts";
import type { DeclarationIndex } from "./resolve.ts";
import { positionAt, type VirtualFile } from "./virtual-file.ts";

const READERS = new Set(["node", "predict", "export"]);
const DATA = new Set(["node", "load", "parameters", "predict"]);

function unwrap(node: Node): Node {
  let current = node;
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isSatisfiesExpression(current) ||
    Node.isNonNullExpression(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

/** Why `statement` keeps its cell from being shared code, by syntax alone, or undefined when it is a declaration. */
function syntaxBlocker(statement: Statement, line: number): HelperBlocker | undefined {
  if (
    Node.isImportDeclaration(statement) ||
    Node.isFunctionDeclaration(statement) ||
    Node.isClassDeclaration(statement) ||
    Node.isInterfaceDeclaration(statement) ||
    Node.isTypeAliasDeclaration(statement) ||
    Node.isEnumDeclaration(statement) ||
    Node.isEmptyStatement(statement) ||
    isDisplayOnly(statement)
  ) {
    return undefined;
  }
  if (Node.isVariableStatement(statement)) {
    const [first] = statement.getDeclarations();
    if (statement.getDeclarationKind() !== VariableDeclarationKind.Const)
      return { reason: "mutable", line, name: first?.getName() ?? "" };
    for (const declaration of statement.getDeclarations()) {
      const initializer = declaration.getInitializer();
      if (initializer === undefined) continue;
      if (Node.isNewExpression(unwrap(initializer))) return { reason: "mutable", line, name: declaration.getName() };
      const awaits = [initializer, ...initializer.getDescendants()].some(
        (n) => Node.isAwaitExpression(n) && n.getFirstAncestor((a) => Node.isFunctionLikeDeclaration(a)) === undefined,
      );
      if (awaits) return { reason: "side-effect", line };
    }
    return undefined;
  }
  return { reason: "side-effect", line };
}

/** The first statement of an untagged cell that keeps it from being shared code, or undefined when it can be. */
function blockerOf(cell: CellInfo, virtual: VirtualFile, index: DeclarationIndex): HelperBlocker | undefined {
  for (const statement of cell.statements) {
    const line = positionAt(virtual, statement.getStart())?.line ?? 1;
    const syntax = syntaxBlocker(statement, line);
    if (syntax !== undefined) return syntax;
    for (const read of cell.reads) {
      if (read.node.getStart() < statement.getStart() || read.node.getStart() >= statement.getEnd()) continue;
      const resolution = index.resolve(read, cell);
      if (resolution.kind !== "declared" || !DATA.has(resolution.owner.directives.role)) continue;
      return {
        reason: "reads-data",
        line,
        name: read.name,
        ownerRole: resolution.owner.directives.role,
        owner: resolution.owner.segment.ref,
      };
    }
  }
  return undefined;
}

/** An untagged cell extracted cells read that cannot be shared: the error to report. */
export interface BlockedHelper {
  cell: CellInfo;
  line: number;
  detail: string;
}

/** The cells with untagged helper cells taken as `export` cells, and the error of each one that cannot be. */
export function promoteHelperCells(
  cells: readonly CellInfo[],
  virtual: VirtualFile,
  index: DeclarationIndex,
  withDirectiveErrors: ReadonlySet<number>,
): { cells: CellInfo[]; blocked: BlockedHelper[] } {
  const candidates = cells.filter(
    (c) => c.directives.role === "exploration" && !c.directives.skip && !withDirectiveErrors.has(c.segment.cell),
  );
  const blockers = new Map(candidates.map((c) => [c, blockerOf(c, virtual, index)]));
  const promoted = new Set<CellInfo>();
  /** What each cell that reads from `owner` reads from it, by reader. */
  const readsFrom = (owner: CellInfo): Map<CellInfo, string[]> => {
    const found = new Map<CellInfo, string[]>();
    for (const reader of cells) {
      if (!READERS.has(reader.directives.role) && !promoted.has(reader)) continue;
      for (const read of reader.reads) {
        const resolution = index.resolve(read, reader);
        if (resolution.kind !== "declared" || resolution.owner !== owner) continue;
        const names = found.get(reader) ?? [];
        if (!names.includes(read.name)) names.push(read.name);
        found.set(reader, names);
      }
    }
    return found;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (const cell of candidates) {
      if (promoted.has(cell) || blockers.get(cell) !== undefined || readsFrom(cell).size === 0) continue;
      promoted.add(cell);
      changed = true;
    }
  }
  const blocked: BlockedHelper[] = [];
  for (const cell of candidates) {
    const blocker = blockers.get(cell);
    if (blocker === undefined) continue;
    const readers = readsFrom(cell);
    if (readers.size === 0) continue;
    const names = [...new Set([...readers.values()].flat())];
    const source = virtual.text.slice(cell.segment.start, cell.segment.end);
    blocked.push({
      cell,
      line: blocker.line,
      detail: helperCellMessage(
        cell.segment.ref,
        source,
        names,
        [...readers.keys()].map((r) => r.segment.ref),
        blocker,
      ),
    });
  }
  const result = cells.map((c) =>
    promoted.has(c) ? { ...c, directives: { ...c.directives, role: "export" as const }, helper: true } : c,
  );
  return { cells: result, blocked };
}
