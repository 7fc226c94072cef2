// The state one notebook's analysis shares between its steps, and how problems are reported from them.
import type { Node, SourceFile } from "ts-morph";
import { cellLabel } from "@cellforge/contract";
import type { CellInfo } from "./cells.ts";
import { ExtractionProblem, type ProblemCode } from "./problems.ts";
import type { DeclarationIndex } from "./resolve.ts";
import type { TypePrinter } from "./type-printer.ts";
import { positionAt, type VirtualFile } from "./virtual-file.ts";

/** One notebook's analysis in progress. */
export class AnalysisContext {
  readonly problems: ExtractionProblem[] = [];
  /** Cells whose problem is already reported (a directive error, a helper cell that cannot be shared): reads from them add no error. */
  readonly reported = new Set<number>();

  constructor(
    /** The notebook path shown to users (relative to the project root). */
    readonly source: string,
    readonly file: SourceFile,
    readonly virtual: VirtualFile,
    readonly cells: readonly CellInfo[],
    readonly index: DeclarationIndex,
    readonly printer: TypePrinter,
    /** The project root: `load` paths resolve from it. */
    readonly projectRoot: string,
  ) {}

  /** The 1-based line of `node` in its cell. */
  lineOf(node: Node | undefined): number | undefined {
    return node === undefined ? undefined : positionAt(this.virtual, node.getStart())?.line;
  }

  /** Records an error at `node` (or the whole cell). */
  error(code: ProblemCode, cell: CellInfo, node: Node | undefined, detail: string): void {
    this.report(new ExtractionProblem(code, "error", this.source, cell.segment.ref, this.lineOf(node), detail));
  }

  /** Records a warning at `node` (or the whole cell). */
  warn(code: ProblemCode, cell: CellInfo, node: Node | undefined, detail: string): void {
    this.report(new ExtractionProblem(code, "warning", this.source, cell.segment.ref, this.lineOf(node), detail));
  }

  // A name read five times in a cell is one problem, reported at its first read.
  private report(problem: ExtractionProblem): void {
    if (this.problems.some((p) => p.code === problem.code && p.cell === problem.cell && p.detail === problem.detail))
      return;
    this.problems.push(problem);
  }

  /** How messages name a cell: "node `features` in cell [9] (code cell 7)", "exploration code cell 5". */
  describe(cell: CellInfo): string {
    const { role, nodeName, skip } = cell.directives;
    const label = cellLabel(cell.segment.ref);
    if (role === "exploration") return skip ? `${label} (tagged \`skip\`)` : `exploration ${label}`;
    if (role === "node") return `node \`${nodeName ?? "?"}\` in ${label}`;
    if (role === "export" && cell.helper === true) return `helper ${label}`;
    return `the \`${role}\` ${label}`;
  }

  /** How messages name a cell without its role: "cell [9] (code cell 7)", "code cell 7". */
  label(cell: CellInfo): string {
    return cellLabel(cell.segment.ref);
  }

  /** The code cell numbered `number`. */
  cell(number: number): CellInfo | undefined {
    return this.cells.find((c) => c.segment.cell === number);
  }
}
