// Per cell, what analysis sees a notebook declare and read: destructuring, functions, classes, types, imports, shadowing, top-level await.
import { describe, expect, it } from "vitest";
import { analyzeCells } from "../../../extractor/analysis/cells.ts";
import { addNotebookSource, notebookProject } from "../../../extractor/analysis/program.ts";
import { joinCells, positionAt } from "../../../extractor/analysis/virtual-file.ts";
import { notebookDirectives, parseNotebook } from "@cellforge/contract";
import { repoRoot } from "../fixtures.ts";

function analyze(sources: string[]) {
  const notebook = parseNotebook(
    { nbformat: 4, metadata: {}, cells: sources.map((source) => ({ cell_type: "code", source, metadata: {} })) },
    "scratch.ipynb",
  );
  const virtual = joinCells(notebook.cells);
  const file = addNotebookSource(notebookProject(), `${repoRoot}/notebooks/cells-test.ipynb`, virtual.text);
  const cells = analyzeCells(file, virtual, notebookDirectives(notebook).cells);
  return { virtual, cells };
}

describe("cell analysis", () => {
  it("lists each cell's top-level declarations, destructuring and imports included", () => {
    const { cells } = analyze([
      'import { readFile } from "node:fs/promises";\nimport * as path from "node:path";',
      "const { a, b: [c, d] } = { a: 1, b: [2, 3] };\nlet e = 4, f = 5;",
      "function g() {}\nclass H {}\ninterface I { x: number }\ntype J = string;\nenum K { A }",
    ]);
    expect(cells.map((cell) => cell.declarations.map((d) => `${d.name}:${d.kind}`))).toEqual([
      ["readFile:import", "path:import"],
      ["a:variable", "c:variable", "d:variable", "e:variable", "f:variable"],
      ["g:function", "H:class", "I:interface", "J:type", "K:enum"],
    ]);
    expect(cells[2]?.declarations.map((d) => d.isValue)).toEqual([true, true, false, false, true]);
  });

  it("reads free names only: locals, parameters and shadowing declarations are not reads", () => {
    const { cells } = analyze([
      "const rows = [1, 2];\nconst scale = 2;\ninterface Row { v: number }",
      [
        "const scaled = rows.map((scale) => scale * 2);", // the parameter shadows the top-level `scale`
        "function total(rows: number[]) { return rows.length; }", // so does this one
        "const typed: Row[] = [];",
        "const copy = { rows };", // shorthand property: reads `rows`
        "{ const scale = 3; console.log(scale); }", // block-scoped shadowing
        "console.log(total(rows));",
      ].join("\n"),
    ]);
    expect(cells[1]?.reads.map((r) => `${r.name}${r.typeOnly ? ":type" : ""}`)).toEqual([
      "rows",
      "Row:type",
      "rows",
      "rows",
    ]);
  });

  it("tells cells that await at their top level from cells that await inside functions", () => {
    const { cells } = analyze([
      "await Promise.resolve(1);",
      "async function later() { await Promise.resolve(2); }",
      "for await (const x of [Promise.resolve(3)]) console.log(x);",
    ]);
    expect(cells.map((cell) => cell.awaits)).toEqual([true, false, true]);
  });

  it("maps positions in the joined file back to cell and line", () => {
    const { virtual, cells } = analyze(["const a = 1;", "\n\nconst b = a;"]);
    const read = cells[1]?.reads[0];
    expect(read?.name).toBe("a");
    expect(positionAt(virtual, read?.node.getStart() ?? -1)).toEqual({ cell: 2, line: 3 });
  });
});
