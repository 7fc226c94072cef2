// Prints extraction problems for a terminal: one line per problem, sorted by cell, errors and warnings labelled.
import type { ExtractionProblem } from "../analysis/problems.ts";

/** One problem as a line: "error: notebooks/train.ipynb cell 7, line 3: …". */
export function formatProblem(problem: ExtractionProblem): string {
  return `${problem.severity}: ${problem.message}`;
}

/** Problems as printed lines, in the order given (analysis sorts them by cell). */
export function formatProblems(problems: readonly ExtractionProblem[]): string {
  return problems.map(formatProblem).join("\n");
}
