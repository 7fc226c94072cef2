// The state one notebook's analysis shares between its steps, and how problems are reported from them.
import type { Node, SourceFile } from "ts-morph";
import type { CellInfo } from "./cells.ts";
import { ExtractionProblem, type ProblemCode } from "./problems.ts";
import type { DeclarationIndex } from "./resolve.ts";
import type { TypePrinter } from "./type-printer.ts";
import { positionAt, type VirtualFile } from "./virtual-file.ts";

/** One notebook's analysis in progress. */
export class AnalysisContext {
  readonly problems: ExtractionProblem[] = [];

  constructor(
    /** The notebook path shown to users (relative to the project root). */
    readonly source: string,
    readonly file: SourceFile,
    readonly virtual: VirtualFile,
    readonly cells: readonly CellInfo[],
    readonly index: DeclarationIndex,
    readonly printer: TypePrinter,
  ) {}

  /** The 1-based line of `node` in its cell. */
  lineOf(node: Node | undefined): number | undefined {
    return node === undefined ? undefined : positionAt(this.virtual, node.getStart())?.line;
  }

  /** Records an error at `node` (or the whole cell). */
  error(code: ProblemCode, cell: CellInfo, node: Node | undefined, detail: string): void {
    this.report(new ExtractionProblem(code, "error", this.source, cell.segment.cell, this.lineOf(node), detail));
  }

  /** Records a warning at `node` (or the whole cell). */
  warn(code: ProblemCode, cell: CellInfo, node: Node | undefined, detail: string): void {
    this.report(new ExtractionProblem(code, "warning", this.source, cell.segment.cell, this.lineOf(node), detail));
  }

  // A name read five times in a cell is one problem, reported at its first read.
  private report(problem: ExtractionProblem): void {
    if (this.problems.some((p) => p.code === problem.code && p.cell === problem.cell && p.detail === problem.detail)) return;
    this.problems.push(problem);
  }

  /** How messages name a cell: "cell 7 (node `features`)", "exploration cell 5". */
  describe(cell: CellInfo): string {
    const { role, nodeName, skip } = cell.directives;
    const number = cell.segment.cell;
    if (role === "exploration") return skip ? `cell ${number} (tagged \`skip\`)` : `exploration cell ${number}`;
    if (role === "node") return `cell ${number} (node \`${nodeName ?? "?"}\`)`;
    return `cell ${number} (\`${role}\`)`;
  }

  /** The code cell numbered `number`. */
  cell(number: number): CellInfo | undefined {
    return this.cells.find((c) => c.segment.cell === number);
  }
}
