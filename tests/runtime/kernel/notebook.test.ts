import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NotebookFormatError } from "../../../runtime/kernel/errors.ts";
import { parseNotebook, serializeNotebook } from "../../../runtime/kernel/notebook.ts";
import { fixture } from "./support.ts";

describe("nbformat reading and writing", () => {
  it("writes a fixture back byte for byte, as Jupyter lays it out", () => {
    const text = readFileSync(fixture("outputs.ipynb"), "utf8");
    expect(serializeNotebook(parseNotebook(text, "outputs.ipynb"))).toBe(text);
  });

  it("upgrades nbformat 4.4 to 4.5 by minting unique cell ids", () => {
    const old = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: {},
      cells: [
        { cell_type: "code", metadata: {}, source: ["1\n", "2"], outputs: [], execution_count: null },
        { cell_type: "markdown", metadata: {}, source: "# hi" },
        { cell_type: "markdown", id: "dup", metadata: {}, source: "" },
        { cell_type: "markdown", id: "dup", metadata: {}, source: "" },
      ],
    };
    const notebook = parseNotebook(JSON.stringify(old), "old.ipynb");
    expect(notebook.nbformat_minor).toBe(5);
    const ids = notebook.cells.map((cell) => cell.id);
    expect(new Set(ids).size).toBe(4);
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9-_]{1,64}$/);
    expect(notebook.cells[0]?.source).toBe("1\n2");
  });

  it("splits text and SVG into lines on disk but keeps base64 PNG whole", () => {
    const notebook = parseNotebook(readFileSync(fixture("outputs.ipynb"), "utf8"), "outputs.ipynb");
    const cell = notebook.cells.find((c) => c.cell_type === "code");
    if (cell?.cell_type !== "code") throw new Error("no code cell");
    cell.outputs = [
      { output_type: "display_data", data: { "image/svg+xml": "<svg>\n</svg>", "image/png": "iVBO\nRw==" }, metadata: {} },
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
    ];
    const written = JSON.parse(serializeNotebook(notebook)) as { cells: { outputs?: unknown[] }[] };
    const outputs = written.cells.find((c) => c.outputs !== undefined)?.outputs;
    expect(outputs).toEqual([
      { output_type: "display_data", data: { "image/svg+xml": ["<svg>\n", "</svg>"], "image/png": "iVBO\nRw==" }, metadata: {} },
      { output_type: "stream", name: "stdout", text: ["a\n", "b\n"] },
    ]);
  });

  it("rejects files that are not nbformat 4 notebooks with a hint", () => {
    expect(() => parseNotebook("{", "x.ipynb")).toThrow(NotebookFormatError);
    expect(() => parseNotebook(JSON.stringify({ nbformat: 3, worksheets: [] }), "x.ipynb")).toThrow(/not an nbformat 4 notebook/);
  });
});
