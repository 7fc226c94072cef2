// Reads an nbformat 4 notebook into cells numbered as the user counts them: every cell, code cells, and Jupyter's execution counts.
import { readFile } from "node:fs/promises";
import { NotebookError } from "./errors.ts";

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function joinSource(source: unknown): string | undefined {
  if (typeof source === "string") return source;
  if (Array.isArray(source) && source.every((line) => typeof line === "string")) return source.join("");
  return undefined;
}

function cellType(value: unknown): CellType | undefined {
  return value === "code" || value === "markdown" || value === "raw" ? value : undefined;
}

function readLanguage(metadata: unknown): string | undefined {
  if (!isRecord(metadata)) return undefined;
  const info = metadata["language_info"];
  if (isRecord(info) && typeof info["name"] === "string") return info["name"];
  const spec = metadata["kernelspec"];
  if (isRecord(spec) && typeof spec["language"] === "string") return spec["language"];
  return undefined;
}

/** Parses notebook JSON (text or an already-parsed value) read from `path`; throws NotebookError when it is not nbformat 4. */
export function parseNotebook(json: string | object, path: string): Notebook {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new NotebookError("invalid-json", path, `is not valid JSON (${reason}); open it in Jupyter and save it again.`);
    }
  }
  if (!isRecord(value) || value["nbformat"] !== 4 || !Array.isArray(value["cells"])) {
    throw new NotebookError(
      "unsupported-format",
      path,
      "is not an nbformat 4 notebook (expected an object with `nbformat: 4` and a `cells` array); save it with Jupyter 4 or later.",
    );
  }
  let codeCells = 0;
  const cells = value["cells"].map((raw: unknown, index): NotebookCell => {
    const number = index + 1;
    const type = isRecord(raw) ? cellType(raw["cell_type"]) : undefined;
    const source = isRecord(raw) ? joinSource(raw["source"]) : undefined;
    if (!isRecord(raw) || type === undefined || source === undefined) {
      throw new NotebookError(
        "unsupported-format",
        path,
        `cell ${number} is malformed (it needs a \`cell_type\` of code, markdown or raw and a string \`source\`); repair it in Jupyter.`,
      );
    }
    const metadata = raw["metadata"];
    const rawTags = isRecord(metadata) ? metadata["tags"] : undefined;
    const tags = Array.isArray(rawTags) ? rawTags.filter((tag): tag is string => typeof tag === "string") : [];
    if (type !== "code") return { number, type, source, tags };
    const count = raw["execution_count"];
    const executionCount = typeof count === "number" && Number.isInteger(count) ? count : null;
    return { number, type, source, tags, codeNumber: ++codeCells, executionCount };
  });
  const language = readLanguage(value["metadata"]);
  return language === undefined ? { path, cells } : { path, cells, language };
}

/** Reads and parses the notebook at `path`; throws NotebookError when it cannot be read or is not nbformat 4. */
export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NotebookError("unreadable", path, `cannot be read (${reason}); check the path.`);
  }
  return parseNotebook(text, path);
}
