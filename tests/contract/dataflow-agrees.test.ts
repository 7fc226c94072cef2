// Lint's cross-cell dataflow (ESLint scope analysis, lint-rules/notebook/cell-dataflow.ts) and the extractor's
// (ts-morph, extractor/analysis) must tell the same story: for every cell of every notebook, the same names read or
// written from other cells, and from which cell. A disagreement means the editor and `extract` contradict each other.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { notebookDirectives, parseNotebook, type Notebook } from "@cellforge/contract";
import { analyzeCells } from "../../extractor/analysis/cells.ts";
import { addNotebookSource, notebookProject } from "../../extractor/analysis/program.ts";
import { DeclarationIndex } from "../../extractor/analysis/resolve.ts";
import { syntaxErrors } from "../../extractor/analysis/syntax.ts";
import { joinCells } from "../../extractor/analysis/virtual-file.ts";
import { findNotebooks } from "../../extractor/cli/paths.ts";
import { cellDataflow, valueCellFor } from "../../lint-rules/notebook/cell-dataflow.ts";
import { notebookView } from "../../lint-rules/notebook/notebook-view.ts";
import { projectNotebook } from "../../lint-rules/processor/projection.ts";
import { repoRoot } from "../extractor/fixtures.ts";

/** Cell number → sorted "name ← cell N" (or "name ← later cell N") for each cross-cell use. */
type Flow = Record<number, string[]>;

function add(flow: Flow, cell: number, entry: string): void {
  const list = (flow[cell] ??= []);
  if (!list.includes(entry)) list.push(entry);
  list.sort();
}

/** The extractor's reading: each cell's free identifiers resolved through its declaration index. */
function extractorFlow(notebook: Notebook, path: string): Flow | undefined {
  const virtual = joinCells(notebook.cells);
  const project = notebookProject();
  const file = addNotebookSource(project, path, virtual.text);
  if (syntaxErrors(project, file, virtual, path).length > 0) return undefined;
  const cells = analyzeCells(file, virtual, notebookDirectives(notebook).cells);
  const index = new DeclarationIndex(cells);
  const flow: Flow = {};
  for (const cell of cells) {
    for (const read of cell.reads) {
      const resolution = index.resolve(read, cell);
      if (resolution.kind === "declared")
        add(flow, cell.segment.cell, `${read.name} ← cell ${resolution.owner.segment.cell}`);
      if (resolution.kind === "later")
        add(flow, cell.segment.cell, `${read.name} ← later cell ${resolution.owner.segment.cell}`);
    }
  }
  return flow;
}

/** Lint's reading: ESLint's scope references of the processor's view, per cell. */
function lintFlow(notebook: Notebook): Flow | undefined {
  const states = notebook.cells.map(() => ({ outputs: 0, executionCount: null }));
  const text = projectNotebook(notebook, states).text;
  let flow: Flow | undefined;
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    text,
    [
      {
        files: ["**/*.ts"],
        languageOptions: { parser: tseslint.parser, sourceType: "module" },
        plugins: {
          probe: {
            rules: {
              dataflow: {
                create(context) {
                  return {
                    "Program:exit"() {
                      const view = notebookView(context.sourceCode as never);
                      if (view === undefined) return;
                      const found: Flow = {};
                      const { uses } = cellDataflow(context.sourceCode as never, view);
                      for (const use of uses) {
                        if (use.binding.isImport) continue;
                        const declaring = valueCellFor(use.binding, use.cell, uses);
                        if (declaring === use.cell) continue;
                        const later = use.binding.declaredIn[0];
                        if (declaring !== undefined)
                          add(found, use.cell.number, `${use.binding.name} ← cell ${declaring.number}`);
                        else if (later !== undefined)
                          add(found, use.cell.number, `${use.binding.name} ← later cell ${later.number}`);
                      }
                      flow = found;
                    },
                  };
                },
              },
            },
          },
        },
        rules: { "probe/dataflow": "error" },
      },
    ],
    "notebook.ts",
  );
  return messages.some((message) => message.fatal === true) ? undefined : flow;
}

const notebooks = [
  ...(await findNotebooks(join(repoRoot, "tests/fixtures/notebooks"))),
  ...(await findNotebooks(join(repoRoot, "notebooks"))),
].filter((path) => !path.endsWith("truncated.ipynb"));

describe("lint's and the extractor's cross-cell dataflow", () => {
  it.each(notebooks.map((path) => [relative(repoRoot, path), path]))("agree on %s", (_, path) => {
    const notebook = parseNotebook(readFileSync(path, "utf8"), path);
    if (notebook.language !== undefined && notebook.language !== "typescript") return;
    const fromExtractor = extractorFlow(notebook, path);
    const fromLint = lintFlow(notebook);
    // A notebook that does not parse has no dataflow in either tool (both report the syntax error instead).
    expect(fromLint === undefined).toBe(fromExtractor === undefined);
    expect(fromLint).toEqual(fromExtractor);
  });

  it("has something to agree on: train.ipynb's cells read parameters and datasets from earlier cells", () => {
    const path = join(repoRoot, "notebooks/train.ipynb");
    const flow = lintFlow(parseNotebook(readFileSync(path, "utf8"), path)) ?? {};
    expect(Object.values(flow).flat().length).toBeGreaterThan(10);
  });
});
