// A notebook as the tools count its cells: every cell, code cells, and Jupyter's execution counts (read by the one
// nbformat reader, notebook-reader.ts).
import type { JsonObject } from "./json-value.ts";
import { cellTags, type NotebookDocument } from "./nbformat.ts";
import { parseNotebookDocument, readNotebookDocument } from "./notebook-reader.ts";

/** The kind of a notebook cell, as nbformat names it. */
export type CellType = "code" | "markdown" | "raw";

/** One cell of a notebook, with its source joined into one string. */
export interface NotebookCell {
  /** 1-based position among all cells (markdown included), as error messages and the lint rules count. */
  number: number;
  type: CellType;
  source: string;
  /** The cell's `metadata.tags` (Jupyter cell tags), in order. */
  tags: readonly string[];
  /** Code cells: 1-based position among the code cells, as a user counts the cells Jupyter numbers. */
  codeNumber?: number;
  /** Code cells: the execution count saved with the cell (Jupyter's `[5]`), null when it was not run. */
  executionCount?: number | null;
}

/** A notebook: its path as given and its cells in document order. */
export interface Notebook {
  path: string;
  cells: readonly NotebookCell[];
  /** The kernel language from `metadata.language_info.name` or `metadata.kernelspec.language`, if any. */
  language?: string;
}

function readLanguage(metadata: JsonObject): string | undefined {
  const info = metadata["language_info"];
  if (typeof info === "object" && info !== null && !Array.isArray(info) && typeof info["name"] === "string")
    return info["name"];
  const spec = metadata["kernelspec"];
  if (typeof spec === "object" && spec !== null && !Array.isArray(spec) && typeof spec["language"] === "string")
    return spec["language"];
  return undefined;
}

/** The cells of a notebook document, numbered as the user counts them. */
export function notebookOf(document: NotebookDocument, path: string): Notebook {
  let codeCells = 0;
  const cells = document.cells.map((cell, index): NotebookCell => {
    const base = { number: index + 1, type: cell.cell_type, source: cell.source, tags: cellTags(cell) };
    if (cell.cell_type !== "code") return base;
    return { ...base, codeNumber: ++codeCells, executionCount: cell.execution_count };
  });
  const language = readLanguage(document.metadata);
  return language === undefined ? { path, cells } : { path, cells, language };
}

/** Parses notebook JSON (text or an already-parsed value) read from `path`; throws NotebookError when it is not nbformat 4. */
export function parseNotebook(json: string | object, path: string): Notebook {
  return notebookOf(parseNotebookDocument(json, path), path);
}

/** Reads and parses the notebook at `path`; throws NotebookError when it cannot be read or is not nbformat 4. */
export async function readNotebook(path: string): Promise<Notebook> {
  return notebookOf(await readNotebookDocument(path), path);
}
