// Cross-cell dataflow from ESLint's scope analysis of the notebook view: which cells declare each top-level name,
// and which cells read or write it. Judged in document order, as the extractor judges it.
import { TSESLint, type TSESTree } from "@typescript-eslint/utils";
import type { CellView, NotebookView } from "./notebook-view.ts";
import { changesValue } from "./value-changes.ts";

type Scope = TSESLint.Scope.Scope;
type Variable = TSESLint.Scope.Variable;
type Reference = TSESLint.Scope.Reference;

/** A top-level name of the notebook. */
export interface CellBinding {
  name: string;
  variable: Variable;
  /** Code cells that declare it, in document order (a name may be declared again by a later cell). */
  declaredIn: readonly CellView[];
  /** Bound by an import: the extractor collects imports, so they belong to no cell's dataflow. */
  isImport: boolean;
}

/** A use of a top-level name in some cell. */
export interface CellUse {
  binding: CellBinding;
  reference: Reference;
  identifier: TSESTree.Identifier | TSESTree.JSXIdentifier;
  cell: CellView;
  /** Inside a function or class body: it runs when called, not when the cell runs. */
  deferred: boolean;
}

const cache = new WeakMap<object, { bindings: CellBinding[]; uses: CellUse[] }>();

function isDeferred(scope: Scope | null): boolean {
  for (let current = scope; current !== null; current = current.upper) {
    if (current.type === TSESLint.Scope.ScopeType.module || current.type === TSESLint.Scope.ScopeType.global)
      return false;
    if (
      current.type === TSESLint.Scope.ScopeType.function ||
      current.type === TSESLint.Scope.ScopeType.classFieldInitializer
    )
      return true;
  }
  return false;
}

/** The notebook's top-level names and their uses by cell, computed once per linted file. */
export function cellDataflow(
  sourceCode: Readonly<TSESLint.SourceCode>,
  view: NotebookView,
): { bindings: CellBinding[]; uses: CellUse[] } {
  const cached = cache.get(sourceCode);
  if (cached !== undefined) return cached;
  const global = sourceCode.getScope(sourceCode.ast);
  const scope = global.childScopes.find((child) => child.type === TSESLint.Scope.ScopeType.module) ?? global;
  const bindings: CellBinding[] = [];
  const uses: CellUse[] = [];
  for (const variable of scope.variables) {
    const declaredIn: CellView[] = [];
    for (const def of variable.defs) {
      const cell = view.cellOf(def.name);
      if (cell !== undefined && !declaredIn.includes(cell)) declaredIn.push(cell);
    }
    if (declaredIn.length === 0) continue;
    declaredIn.sort((a, b) => a.number - b.number);
    const binding: CellBinding = {
      name: variable.name,
      variable,
      declaredIn,
      isImport: variable.defs.some((def) => def.type === TSESLint.Scope.DefinitionType.ImportBinding),
    };
    bindings.push(binding);
    for (const reference of variable.references) {
      const cell = view.cellOf(reference.identifier);
      if (cell === undefined) continue;
      uses.push({ binding, reference, identifier: reference.identifier, cell, deferred: isDeferred(reference.from) });
    }
  }
  uses.sort((a, b) => a.identifier.range[0] - b.identifier.range[0]);
  const result = { bindings, uses };
  cache.set(sourceCode, result);
  return result;
}

/** The cell whose declaration of `binding` a use in `cell` sees: the last declaring cell at or before it, in document order. */
export function declaringCellFor(binding: CellBinding, cell: CellView): CellView | undefined {
  let found: CellView | undefined;
  for (const declaring of binding.declaredIn) if (declaring.number <= cell.number) found = declaring;
  return found;
}

/**
 * The cell whose value of `binding` a use in `cell` sees, as `extract` passes values on: the declaring cell, or the
 * last node cell between it and `cell` that gives a `load` or `node` cell's variable a new value (`df = df.dropNa()`)
 * or changes it in place (`model.fit(…)`).
 */
export function valueCellFor(binding: CellBinding, cell: CellView, uses: readonly CellUse[]): CellView | undefined {
  const declaring = declaringCellFor(binding, cell);
  if (declaring === undefined || declaring === cell) return declaring;
  const role = declaring.directives?.role;
  if (role !== "load" && role !== "node") return declaring;
  let found = declaring;
  for (const use of uses) {
    if (use.binding !== binding || use.cell.number <= found.number || use.cell.number >= cell.number) continue;
    if (use.cell.directives?.role !== "node" || binding.declaredIn.includes(use.cell)) continue;
    if (changesValue(use)) found = use.cell;
  }
  return found;
}
