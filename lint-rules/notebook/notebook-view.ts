// What a rule knows about the notebook it lints: the cells read back from the `//@cell` markers of the processor's
// view, their directives (parsed by the extractor's shared parser), and which cell a piece of code belongs to.
import {
  notebookDirectives,
  cellLabel,
  cellRef,
  type CellRef,
  type CellRole,
  type CellType,
  type NotebookCell,
  type NotebookDirectives,
  type ResolvedCellDirectives,
} from "@cellforge/contract";
import { AST_TOKEN_TYPES, type TSESLint, type TSESTree } from "@typescript-eslint/utils";
import { CELL_END, parseMarker } from "./cell-marker.ts";

/** One cell of the linted notebook. */
export interface CellView {
  number: number;
  type: CellType;
  tags: readonly string[];
  outputs: number;
  executionCount: number | null;
  /** The cell's text (code cells: the source that follows the marker). */
  source: string;
  /** The marker comment. */
  marker: TSESTree.Comment;
  /** Code cells: offsets of the source in the linted text. */
  range: readonly [number, number];
  /** Code cells: directives and role; undefined for markdown and raw cells. */
  directives: ResolvedCellDirectives | undefined;
  /** How messages name the cell, as the extractor does. */
  ref: CellRef;
}

/** The linted notebook. */
export interface NotebookView {
  cells: readonly CellView[];
  directives: NotebookDirectives;
  /** The code cell a node (or offset) is in. */
  cellOf(target: TSESTree.Node | TSESTree.Token | number): CellView | undefined;
}

const cache = new WeakMap<object, NotebookView | null>();

/** Extracted cells whose code lands in pipelines/: the node, predict and export cells. */
export const PIPELINE_ROLES: readonly CellRole[] = ["node", "predict", "export"];

/** The notebook view of the linted file, or undefined when it is plain TypeScript (no `//@cell` markers). */
export function notebookView(sourceCode: Readonly<TSESLint.SourceCode>): NotebookView | undefined {
  const cached = cache.get(sourceCode);
  if (cached !== undefined) return cached ?? undefined;
  const view = readView(sourceCode);
  cache.set(sourceCode, view ?? null);
  return view;
}

function readView(sourceCode: Readonly<TSESLint.SourceCode>): NotebookView | undefined {
  const text = sourceCode.text;
  const markers = sourceCode
    .getAllComments()
    .filter((comment) => comment.type === AST_TOKEN_TYPES.Line && comment.loc.start.column === 0)
    .flatMap((comment) => {
      const marker = parseMarker(comment.value);
      return marker === undefined ? [] : [{ comment, marker }];
    });
  if (markers.length === 0) return undefined;
  let codeCells = 0;
  const cells: CellView[] = markers.map(({ comment, marker }, index) => {
    const next = markers[index + 1];
    const start = Math.min(comment.range[1] + 1, text.length);
    let end = next === undefined ? text.length : Math.max(start, next.comment.range[0]);
    if (marker.type !== "code") end = start;
    else if (text.slice(start, end).endsWith(CELL_END)) end -= CELL_END.length;
    else if (text.slice(start, end).endsWith("\n")) end -= 1;
    return {
      number: marker.number,
      type: marker.type,
      tags: marker.tags,
      outputs: marker.outputs,
      executionCount: marker.executionCount,
      source: marker.type === "code" ? text.slice(start, end) : (marker.text ?? ""),
      marker: comment,
      range: [start, end] as const,
      directives: undefined,
      ref: { cell: marker.number },
    };
  });
  const notebookCells: NotebookCell[] = cells.map((cell) =>
    cell.type === "code"
      ? {
          number: cell.number,
          type: cell.type,
          source: cell.source,
          tags: cell.tags,
          codeNumber: ++codeCells,
          executionCount: cell.executionCount,
        }
      : { number: cell.number, type: cell.type, source: cell.source, tags: cell.tags },
  );
  for (const [index, cell] of cells.entries()) {
    const notebookCell = notebookCells[index];
    if (notebookCell !== undefined) cell.ref = cellRef(notebookCell);
  }
  const directives = notebookDirectives({ path: "notebook", cells: notebookCells });
  for (const resolved of directives.cells) {
    const cell = cells.find((c) => c.number === resolved.cell);
    if (cell !== undefined) cell.directives = resolved;
  }
  const code = cells.filter((cell) => cell.type === "code");
  return {
    cells,
    directives,
    cellOf(target) {
      const offset = typeof target === "number" ? target : target.range[0];
      return code.find((cell) => offset >= cell.range[0] && offset <= cell.range[1]);
    },
  };
}

/** The role of a code cell ("exploration" for untagged and `skip` cells). */
export function roleOf(cell: CellView | undefined): CellRole | undefined {
  return cell?.directives?.role;
}

/** How a cell is named in messages, as the extractor names it: "node `features` in cell [9] (code cell 7)", "exploration code cell 5". */
export function describeCell(cell: CellView): string {
  const role = cell.directives?.role;
  const label = cellLabel(cell.ref);
  if (role === "node")
    return cell.directives?.nodeName === undefined
      ? `node in ${label}`
      : `node \`${cell.directives.nodeName}\` in ${label}`;
  if (role === "exploration" || role === undefined) return `exploration ${label}`;
  return `the \`${role}\` ${label}`;
}

/**
 * Whether code at `target` is pipeline code, which the pipeline rules check: in a notebook, code in node, predict
 * and export cells; in a plain TypeScript file (a module under pipelines/), all of it.
 */
export function isPipelineCode(
  sourceCode: Readonly<TSESLint.SourceCode>,
  target: TSESTree.Node,
  roles: readonly CellRole[] = PIPELINE_ROLES,
): boolean {
  const view = notebookView(sourceCode);
  if (view === undefined) return true;
  const role = roleOf(view.cellOf(target));
  return role !== undefined && roles.includes(role);
}
