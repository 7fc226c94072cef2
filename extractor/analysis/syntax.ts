// Syntax errors of the notebook's cells, reported as parse errors at the cell and line, as Jupyter shows them when the cell runs.
import { ts, type Project, type SourceFile } from "ts-morph";
import { ExtractionProblem } from "./problems.ts";
import { positionAt, segmentAt, type VirtualFile } from "./virtual-file.ts";

/** The first syntax error of each code cell; empty when every cell parses. */
export function syntaxErrors(
  project: Project,
  file: SourceFile,
  virtual: VirtualFile,
  source: string,
): ExtractionProblem[] {
  const problems: ExtractionProblem[] = [];
  for (const diagnostic of project.getProgram().getSyntacticDiagnostics(file)) {
    const start = Math.min(diagnostic.getStart() ?? 0, virtual.text.length);
    // An error at a separator between cells (an unclosed brace meets the next cell) belongs to the cell before it.
    const segment = segmentAt(virtual, start) ?? [...virtual.segments].reverse().find((s) => s.start <= start);
    if (segment === undefined || problems.some((p) => p.cell === segment.cell)) continue;
    const line = positionAt(virtual, Math.min(start, segment.end))?.line;
    const message = ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, " ").replace(/\.$/, "");
    problems.push(
      new ExtractionProblem(
        "syntax-error",
        "error",
        source,
        segment.ref,
        line,
        `parse error: ${message}. The cell is not valid TypeScript (Jupyter fails on it too); fix it and extract again.`,
      ),
    );
  }
  return problems;
}
