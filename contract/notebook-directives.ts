// The directives of a whole notebook: per-cell roles, node names from headings, and the checks that span cells.
import { cellLabel, cellRef, type CellRef } from "./cell-label.ts";
import { cellDirectives, type CellDirectives } from "./directives.ts";
import { DirectiveError } from "./errors.ts";
import { camelCase, lastHeading, slugify } from "./names.ts";
import type { Notebook } from "./notebook.ts";

/** A cell's directives with its node name resolved (explicit, or the slug of the nearest heading above) and that heading. */
export interface ResolvedCellDirectives extends CellDirectives {
  /** For node cells whose name could be resolved. */
  nodeName?: string;
  /** The last markdown heading above the cell, if any. */
  heading?: string;
  /** How messages name the cell. */
  ref: CellRef;
}

/** Every code cell's directives, and all directive errors of the notebook sorted by cell. */
export interface NotebookDirectives {
  /** One entry per code cell, in document order. */
  cells: readonly ResolvedCellDirectives[];
  errors: readonly DirectiveError[];
}

/** Whether the notebook has any directive, i.e. whether it is meant to be extracted. */
export function hasDirectives(directives: NotebookDirectives): boolean {
  return directives.cells.some((cell) => cell.directives.length > 0) || directives.errors.length > 0;
}

/** Parses the directives of every code cell, names nodes after the nearest heading above when `node` has no name, and checks duplicates. */
export function notebookDirectives(notebook: Notebook): NotebookDirectives {
  const cells: ResolvedCellDirectives[] = [];
  const errors: DirectiveError[] = [];
  let heading: string | undefined;
  const byFunction = new Map<string, ResolvedCellDirectives>();
  let predict: ResolvedCellDirectives | undefined;
  for (const cell of notebook.cells) {
    if (cell.type === "markdown") heading = lastHeading(cell.source) ?? heading;
    const parsed = cellDirectives(cell);
    errors.push(...parsed.errors);
    if (cell.type !== "code") continue;
    let resolved: ResolvedCellDirectives =
      heading === undefined ? { ...parsed, ref: cellRef(cell) } : { ...parsed, heading, ref: cellRef(cell) };
    if (parsed.role === "node" && parsed.nodeName === undefined) {
      const slug = heading === undefined ? undefined : slugify(heading);
      if (slug === undefined) {
        errors.push(
          new DirectiveError(
            "missing-node-name",
            cellRef(cell),
            heading === undefined
              ? "the node has no name and no markdown heading above it to take one from: write `node: NAME` or add a heading above the cell."
              : `the node has no name, and the heading above it, \`${heading}\`, has no letters to take one from: write \`node: NAME\` or give the heading a word.`,
          ),
        );
      } else {
        resolved = { ...resolved, nodeName: slug };
      }
    }
    if (resolved.role === "node" && resolved.nodeName !== undefined) {
      const key = camelCase(resolved.nodeName);
      const other = byFunction.get(key);
      if (other === undefined) {
        byFunction.set(key, resolved);
      } else {
        const same =
          other.nodeName === resolved.nodeName
            ? `\`${resolved.nodeName}\``
            : `\`${resolved.nodeName}\` (as \`${other.nodeName}\`, both become \`${key}\`)`;
        errors.push(
          new DirectiveError(
            "duplicate-node-name",
            cellRef(cell),
            `node name ${same} is already used by ${cellLabel(other.ref)}: node names are unique; give one of them another name with \`node: NAME\`.`,
          ),
        );
      }
    }
    if (resolved.role === "predict") {
      if (predict === undefined) predict = resolved;
      else
        errors.push(
          new DirectiveError(
            "duplicate-predict",
            cellRef(cell),
            `cell ${predict.cell} is already the \`predict\` cell: a pipeline serves one function; merge the two cells or tag one \`skip\`.`,
          ),
        );
    }
    cells.push(resolved);
  }
  errors.sort((a, b) => a.location.cell - b.location.cell || (a.location.line ?? 0) - (b.location.line ?? 0));
  return { cells, errors };
}
