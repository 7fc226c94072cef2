// The TypeScript view of a notebook that ESLint lints: every cell in document order, each after its `//@cell`
// marker line, code cells with their source verbatim. One view per notebook, so names resolve across cells and the
// type checker sees the notebook as the kernel runs it.
import type { CellType, Notebook } from "@cellforge/contract";
import {
  CELL_END,
  VIEW_START,
  formatMarker,
  markerFieldRanges,
  type MarkerFieldRanges,
} from "../notebook/cell-marker.ts";
import { rewriteImports, type SpecifierEdit } from "./import-paths.ts";

/** Where one cell sits in the view. */
export interface ProjectedCell {
  number: number;
  type: CellType;
  /** Offsets of the marker line (without its line break). */
  markerStart: number;
  markerEnd: number;
  /** 1-based view line of the marker. */
  markerLine: number;
  /** Where the marker writes tags, output count and execution count, relative to `markerStart`. */
  fields: MarkerFieldRanges;
  /** Code cells: offsets of the cell's source in the view, and the view line of its first line. */
  sourceStart: number;
  sourceEnd: number;
  firstLine: number;
  /** Relative import specifiers the view writes as paths from its own folder (see import-paths.ts). */
  edits: readonly SpecifierEdit[];
}

/** The view's text and where each cell is in it. */
export interface NotebookProjection {
  text: string;
  cells: readonly ProjectedCell[];
}

/** What the notebook JSON says about a cell beyond the reader's view of it. */
export interface CellState {
  outputs: number;
  executionCount: number | null;
}

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) lines++;
  return lines;
}

/**
 * Builds the view of `notebook`; `states[i]` describes cell i + 1. `rewriteImport` writes a cell's relative import
 * specifier as the view's path to the same module (omitted: as the cell writes it).
 */
export function projectNotebook(
  notebook: Notebook,
  states: readonly CellState[],
  rewriteImport?: (specifier: string) => string,
): NotebookProjection {
  let text = VIEW_START;
  let line = 1 + countLines(VIEW_START);
  const cells: ProjectedCell[] = [];
  for (const cell of notebook.cells) {
    const state = states[cell.number - 1] ?? { outputs: 0, executionCount: null };
    const marker = formatMarker({
      number: cell.number,
      type: cell.type,
      tags: cell.tags,
      outputs: state.outputs,
      executionCount: state.executionCount,
      ...(cell.type === "code" ? {} : { text: cell.source }),
    });
    const markerStart = text.length;
    const markerLine = line;
    text += `${marker}\n`;
    line++;
    const projected: ProjectedCell = {
      number: cell.number,
      type: cell.type,
      markerStart,
      markerEnd: markerStart + marker.length,
      markerLine,
      fields: markerFieldRanges(marker),
      sourceStart: text.length,
      sourceEnd: text.length,
      firstLine: line,
      edits: [],
    };
    if (cell.type === "code") {
      const view = rewriteImports(cell.source, rewriteImport);
      projected.edits = view.edits;
      text += view.text;
      projected.sourceEnd = text.length;
      text += CELL_END;
      line += countLines(cell.source) + countLines(CELL_END);
    }
    cells.push(projected);
  }
  return { text, cells };
}
