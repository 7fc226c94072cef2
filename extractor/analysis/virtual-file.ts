// Joins a notebook's code cells into one TypeScript text in document order, and maps positions back to cell and line.
import { cellRef, type CellRef, type NotebookCell } from "@cellforge/contract";

/** Where one cell's source sits in the joined text. */
export interface CellSegment {
  cell: number;
  /** How messages name the cell. */
  ref: CellRef;
  start: number;
  end: number;
}

/** The joined text of all code cells and the map back to cells. */
export interface VirtualFile {
  text: string;
  segments: readonly CellSegment[];
}

/** A position in the notebook: 1-based cell number and 1-based line in that cell. */
export interface CellPosition {
  cell: number;
  line: number;
}

// A cell that ends without a semicolon must not run into the next one ("a\n(b)" would be a call).
const SEPARATOR = "\n;\n";

/** Joins the code cells in order, exploration cells included, so the checker sees the notebook as the kernel ran it. */
export function joinCells(cells: readonly NotebookCell[]): VirtualFile {
  let text = "";
  const segments: CellSegment[] = [];
  for (const cell of cells) {
    if (cell.type !== "code") continue;
    const start = text.length;
    text += cell.source;
    segments.push({ cell: cell.number, ref: cellRef(cell), start, end: text.length });
    text += SEPARATOR;
  }
  return { text, segments };
}

/** The segment holding `offset`, if it is inside a cell (separators belong to none). */
export function segmentAt(file: VirtualFile, offset: number): CellSegment | undefined {
  return file.segments.find((segment) => offset >= segment.start && offset <= segment.end);
}

/** Maps an offset in the joined text to its cell and line. */
export function positionAt(file: VirtualFile, offset: number): CellPosition | undefined {
  const segment = segmentAt(file, offset);
  if (segment === undefined) return undefined;
  const before = file.text.slice(segment.start, offset);
  let line = 1;
  for (const char of before) if (char === "\n") line++;
  return { cell: segment.cell, line };
}
