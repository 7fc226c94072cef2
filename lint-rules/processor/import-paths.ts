// A cell's relative imports are read from the project root, where cellforge's kernel runs the notebook (and where
// `extract` reads them); ESLint types the notebook's view as a file inside the notebook (`train.ipynb/0_notebook.ts`).
// The view writes each relative import specifier as the path from there to the same module, and remembers where, so
// that positions in the view map back to the cell's own text.
import { relative, resolve } from "node:path";

/** One specifier the view writes differently: `start`–`end` in the cell's source, and how much longer it is in the view. */
export interface SpecifierEdit {
  start: number;
  end: number;
  delta: number;
}

/** `import … from "./x"`, `export … from "./x"`, `import "./x"`: the quoted relative specifier. */
const RELATIVE_SPECIFIER = /\b(?:from|import)\s*(["'])(\.\.?\/[^"'\n]*)\1/g;

/** Rewrites a root-relative specifier into one relative to `viewFolder`. */
export function specifierRewriter(projectRoot: string, viewFolder: string): (specifier: string) => string {
  return (specifier) => {
    const path = relative(viewFolder, resolve(projectRoot, specifier)).replaceAll("\\", "/");
    return path.startsWith(".") ? path : `./${path}`;
  };
}

/** The cell's source as the view writes it, and the edits made. */
export function rewriteImports(
  source: string,
  rewrite: ((specifier: string) => string) | undefined,
): { text: string; edits: SpecifierEdit[] } {
  if (rewrite === undefined) return { text: source, edits: [] };
  const edits: SpecifierEdit[] = [];
  let text = "";
  let copied = 0;
  for (const match of source.matchAll(RELATIVE_SPECIFIER)) {
    const specifier = match[2]!;
    const start = match.index + match[0].length - 1 - specifier.length;
    const written = rewrite(specifier);
    if (written === specifier) continue;
    text += source.slice(copied, start) + written;
    copied = start + specifier.length;
    edits.push({ start, end: copied, delta: written.length - specifier.length });
  }
  return { text: text + source.slice(copied), edits };
}

/** The offset in the cell's source of `viewOffset` in its view text (inside a rewritten specifier: its start). */
export function sourceOffset(edits: readonly SpecifierEdit[], viewOffset: number): number {
  let shift = 0;
  for (const edit of edits) {
    if (viewOffset < edit.start + shift) break;
    if (viewOffset < edit.end + shift + edit.delta) return edit.start;
    shift += edit.delta;
  }
  return viewOffset - shift;
}
