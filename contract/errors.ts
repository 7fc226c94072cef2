// Errors raised while reading a notebook or parsing its cell directives.
import { cellLabel, type CellRef } from "./cell-label.ts";

/** Why a notebook file could not be read as an nbformat 4 notebook. */
export type NotebookErrorCode = "unreadable" | "invalid-json" | "unsupported-format";

/** A file that is not a readable nbformat 4 notebook. */
export class NotebookError extends Error {
  override readonly name = "NotebookError";

  constructor(
    readonly code: NotebookErrorCode,
    /** The notebook path as the user gave it. */
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

/** What is wrong with a directive. */
export type DirectiveErrorCode =
  | "unknown-directive"
  | "conflicting-directives"
  | "invalid-argument"
  | "misplaced-directive"
  | "missing-node-name"
  | "duplicate-node-name"
  | "duplicate-predict";

/** Where a directive error is: the cell and, for `//|` comments, the line in it. */
export interface DirectiveLocation extends CellRef {
  /** 1-based line in the cell; absent for a cell tag. */
  line?: number;
  /** The tag, for a cell tag. */
  tag?: string;
}

/** A wrong, unknown or conflicting cell directive; `message` says how to fix it. */
export class DirectiveError extends Error {
  override readonly name = "DirectiveError";

  constructor(
    readonly code: DirectiveErrorCode,
    readonly location: DirectiveLocation,
    /** What is wrong and how to fix it, without the location (tools add it in their own format). */
    readonly detail: string,
  ) {
    super(`${describeLocation(location)}: ${detail}`);
  }
}

/** Formats a location as "cell [9] (code cell 7, line 2)", "code cell 7, line 2" or "cell [9] (code cell 7, tag `nodes`)". */
export function describeLocation(location: DirectiveLocation): string {
  if (location.line !== undefined) return cellLabel(location, `line ${location.line}`);
  if (location.tag !== undefined) return cellLabel(location, `tag \`${location.tag}\``);
  return cellLabel(location);
}
