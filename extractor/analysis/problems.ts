// Extraction errors and warnings: each names the notebook, the cell and line as Jupyter shows them, and says how to fix it.
import { cellLabel, type CellRef } from "@cellforge/contract";

/** What an extraction problem is about. */
export type ProblemCode =
  | "directive"
  | "exploration-read"
  | "later-read"
  | "predict-read"
  | "export-reads-pipeline"
  | "parameter-not-literal"
  | "load-not-reader"
  | "save-undeclared"
  | "save-without-dataset-type"
  | "predict-not-saved"
  | "predict-unpersistable"
  | "predict-without-function"
  | "predict-signature"
  | "predict-schema"
  | "generated-type-error"
  | "any-boundary"
  | "mutated-input"
  | "exploration-reassigns"
  | "exploration-mutates"
  | "rebound-save"
  | "saved-before-change"
  | "read-before-change"
  | "syntax-error"
  | "import-unresolved"
  | "load-path-missing"
  | "helper-not-shareable"
  | "metrics-unknown";

/** Errors stop extraction; warnings are printed and extraction goes on. */
export type Severity = "error" | "warning";

/** One error or warning of a notebook. */
export class ExtractionProblem extends Error {
  override readonly name = "ExtractionProblem";

  constructor(
    readonly code: ProblemCode,
    readonly severity: Severity,
    readonly notebook: string,
    /** The cell, as messages name it. */
    readonly at: CellRef,
    readonly line: number | undefined,
    /** What is wrong and how to fix it. */
    readonly detail: string,
  ) {
    super(`${notebook} ${cellLabel(at, line === undefined ? undefined : `line ${line}`)}: ${detail}`);
  }

  /** 1-based position of the cell among all cells, for ordering. */
  get cell(): number {
    return this.at.cell;
  }
}

/** Orders problems by cell, then line, so a notebook's report reads top to bottom. */
export function byPosition(a: ExtractionProblem, b: ExtractionProblem): number {
  return a.cell - b.cell || (a.line ?? 0) - (b.line ?? 0) || a.message.localeCompare(b.message);
}

/** Thrown when a notebook has extraction errors; `problems` holds all of them (and the warnings), sorted by cell. */
export class ExtractionFailed extends Error {
  override readonly name = "ExtractionFailed";
  readonly code = "extraction-failed";

  constructor(
    readonly notebook: string,
    readonly problems: readonly ExtractionProblem[],
  ) {
    const errors = problems.filter((p) => p.severity === "error").length;
    super(
      `${notebook}: ${errors} extraction error${errors === 1 ? "" : "s"}; fix them in the notebook and extract again.`,
    );
  }
}
