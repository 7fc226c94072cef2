// The `.ipynb` processor: hands ESLint one TypeScript view of the notebook and maps every message and fix back to
// the cell it belongs to. See lint-rules/README.md for why it is one view per notebook and not one block per cell.
import { dirname } from "node:path";
import { parseNotebook, projectRootOf } from "@cellforge/contract";
import type { Linter } from "eslint";
import { cellLocations, parseJsonRanges, type JsonValue } from "./json-ranges.ts";
import { specifierRewriter } from "./import-paths.ts";
import { NotebookMap } from "./notebook-map.ts";
import { projectNotebook, type CellState } from "./projection.ts";

/** The name ESLint gives the view: `notebooks/train.ipynb/0_notebook.ts`. */
export const VIEW_FILENAME = "notebook.ts";

/** Kernel languages whose cells are linted; other notebooks (e.g. Python) are left alone. */
const LANGUAGES = new Set(["typescript", "javascript"]);

// preprocess and postprocess of one file run back to back in the same thread; the map lives in between.
const maps = new Map<string, NotebookMap>();

function executionCount(fileText: string, value: JsonValue | undefined): number | null {
  if (value?.kind !== "scalar") return null;
  const parsed = Number(fileText.slice(value.start, value.end));
  return Number.isFinite(parsed) ? parsed : null;
}

/** Splits a notebook into its TypeScript view; throws (ESLint reports a preprocessing error) when it is not a notebook. */
function preprocess(text: string, filename: string): Linter.ProcessorFile[] {
  const notebook = parseNotebook(text, filename);
  if (notebook.language !== undefined && !LANGUAGES.has(notebook.language.toLowerCase())) return [];
  const json = cellLocations(parseJsonRanges(text));
  const states: CellState[] = json.map((cell) => ({
    outputs: cell.outputs?.kind === "array" ? cell.outputs.items.length : 0,
    executionCount: executionCount(text, cell.executionCount),
  }));
  // ESLint names the view <notebook>/0_notebook.ts: the notebook's path is the view's folder.
  const projection = projectNotebook(notebook, states, specifierRewriter(projectRootOf(dirname(filename)), filename));
  maps.set(filename, new NotebookMap(text, notebook, projection, json));
  return [{ text: projection.text, filename: VIEW_FILENAME }];
}

/** Maps the view's messages back to cells, lines and JSON positions. */
function postprocess(messages: Linter.LintMessage[][], filename: string): Linter.LintMessage[] {
  const map = maps.get(filename);
  maps.delete(filename);
  const flat = messages.flat();
  if (map === undefined) return flat;
  return flat.filter((message) => !map.isDisplayedExpression(message)).map((message) => map.mapMessage(message));
}

/** The `cellforge/ipynb` processor. */
export const notebookProcessor = {
  meta: { name: "cellforge/ipynb", version: "0.1.0" },
  supportsAutofix: true,
  preprocess,
  postprocess,
} satisfies Linter.Processor;
