// How every tool names a notebook cell, as Jupyter shows it: its execution count and its position among code cells.
import type { CellType, NotebookCell } from "./notebook.ts";

/** A cell as messages name it. */
export interface CellRef {
  /** 1-based position among all cells (markdown included): stable for sorting, never printed for code cells. */
  cell: number;
  /** Code cells: 1-based position among the code cells. */
  code?: number;
  /** Code cells: the execution count saved with the cell (`[5]`), null when it was not run. */
  executionCount?: number | null;
  /** The cell type, when not code. */
  type?: CellType;
}

/** The reference of a notebook cell. */
export function cellRef(cell: NotebookCell): CellRef {
  if (cell.type !== "code") return { cell: cell.number, type: cell.type };
  return {
    cell: cell.number,
    ...(cell.codeNumber === undefined ? {} : { code: cell.codeNumber }),
    executionCount: cell.executionCount ?? null,
  };
}

/**
 * "cell [12] (code cell 5)" for a cell run when saved, "code cell 5" for one not run; `extra` goes inside the
 * parentheses ("cell [12] (code cell 5, line 7)", "code cell 5, line 7").
 */
export function cellLabel(ref: CellRef, extra?: string): string {
  if (ref.code === undefined) {
    const base = ref.type === undefined || ref.type === "code" ? `cell ${ref.cell}` : `${ref.type} cell ${ref.cell}`;
    return extra === undefined ? base : `${base}, ${extra}`;
  }
  const code = `code cell ${ref.code}`;
  if (ref.executionCount === undefined || ref.executionCount === null)
    return extra === undefined ? code : `${code}, ${extra}`;
  return `cell [${ref.executionCount}] (${code}${extra === undefined ? "" : `, ${extra}`})`;
}

/** "code cell 5": the label without the execution count, which changes each time the notebook runs (for generated files). */
export function stableCellLabel(ref: CellRef): string {
  return cellLabel({
    cell: ref.cell,
    ...(ref.code === undefined ? {} : { code: ref.code }),
    ...(ref.type === undefined ? {} : { type: ref.type }),
  });
}
