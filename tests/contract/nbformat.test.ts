// The one nbformat reader and writer: what Jupyter saved comes back byte for byte, and writes are atomic.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  NotebookError,
  parseNotebook as parseNotebookView,
  parseNotebookDocument as parseNotebook,
  readNotebookDocument,
  serializeNotebook,
  writeNotebook,
} from "@cellforge/contract";
import { findNotebooks } from "../../extractor/cli/paths.ts";
import { repoRoot } from "../extractor/fixtures.ts";

const fixture = (name: string): string => join(repoRoot, "tests/fixtures/notebooks", name);

function keysSorted(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(keysSorted);
  if (typeof value !== "object" || value === null) return true;
  const keys = Object.keys(value);
  return keys.every((key, i) => i === 0 || (keys[i - 1] ?? "") < key) && Object.values(value).every(keysSorted);
}

/** Every notebook the project ships or tests with that is valid JSON (truncated.ipynb is broken on purpose). */
async function allNotebooks(): Promise<string[]> {
  const found = [
    ...(await findNotebooks(join(repoRoot, "tests/fixtures/notebooks"))),
    ...(await findNotebooks(join(repoRoot, "notebooks"))),
  ];
  return found.filter((path) => !path.endsWith("truncated.ipynb"));
}

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
      {
        output_type: "display_data",
        data: { "image/svg+xml": "<svg>\n</svg>", "image/png": "iVBO\nRw==" },
        metadata: {},
      },
      { output_type: "stream", name: "stdout", text: "a\nb\n" },
    ];
    const written = JSON.parse(serializeNotebook(notebook)) as { cells: { outputs?: unknown[] }[] };
    const outputs = written.cells.find((c) => c.outputs !== undefined)?.outputs;
    expect(outputs).toEqual([
      {
        output_type: "display_data",
        data: { "image/svg+xml": ["<svg>\n", "</svg>"], "image/png": "iVBO\nRw==" },
        metadata: {},
      },
      { output_type: "stream", name: "stdout", text: ["a\n", "b\n"] },
    ]);
  });

  it("rejects files that are not nbformat 4 notebooks with a hint", () => {
    expect(() => parseNotebook("{", "x.ipynb")).toThrow(NotebookError);
    expect(() => parseNotebook(JSON.stringify({ nbformat: 3, worksheets: [] }), "x.ipynb")).toThrow(
      /not an nbformat 4 notebook/,
    );
  });

  it("writes every fixture and example notebook back byte for byte (older ones once upgraded to 4.5 ids)", async () => {
    const paths = await allNotebooks();
    expect(paths.length).toBeGreaterThan(10);
    // As Jupyter saves: nbformat 4.5 with cell ids, keys sorted (a hand-written fixture may not be).
    const current = (text: string): boolean => {
      const json = JSON.parse(text) as { nbformat_minor?: number; cells: { id?: unknown }[] };
      return (
        (json.nbformat_minor ?? 0) >= 5 && json.cells.every((cell) => typeof cell.id === "string") && keysSorted(json)
      );
    };
    const changed = paths.filter((path) => {
      const text = readFileSync(path, "utf8");
      const written = serializeNotebook(parseNotebook(text, path));
      // Jupyter too mints cell ids when it saves a 4.4 notebook; from then on the file is stable.
      return current(text) ? written !== text : serializeNotebook(parseNotebook(written, path)) !== written;
    });
    expect(changed.map((path) => relative(repoRoot, path))).toEqual([]);
    expect(paths.filter((path) => current(readFileSync(path, "utf8"))).length).toBeGreaterThan(5);
  });

  it("writes a notebook atomically: the file reads back whole, and no temp file stays", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cellforge-nbformat-"));
    const notebook = await readNotebookDocument(fixture("outputs.ipynb"));
    const out = join(dir, "out.ipynb");
    await Promise.all([writeNotebook(out, notebook), writeNotebook(out, notebook)]);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(fixture("outputs.ipynb"), "utf8"));
    expect(readdirSync(dir)).toEqual(["out.ipynb"]);
  });

  it("gives the tools' cell view from the same reader, numbered as the user counts cells", () => {
    const view = parseNotebookView(readFileSync(fixture("outputs.ipynb"), "utf8"), "outputs.ipynb");
    const document = parseNotebook(readFileSync(fixture("outputs.ipynb"), "utf8"), "outputs.ipynb");
    expect(view.cells.map((cell) => cell.source)).toEqual(document.cells.map((cell) => cell.source));
    expect(view.cells.filter((cell) => cell.type === "code").map((cell) => cell.codeNumber)).toEqual(
      document.cells.filter((cell) => cell.cell_type === "code").map((_, index) => index + 1),
    );
  });
});
