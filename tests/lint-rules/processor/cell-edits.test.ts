import { describe, expect, it } from "vitest";
import { sourceEdit, markerEdit } from "../../../lint-rules/processor/cell-edits.ts";
import { cellLocations, parseJsonRanges } from "../../../lint-rules/processor/json-ranges.ts";
import { formatMarker } from "../../../lint-rules/notebook/cell-marker.ts";

/** A one-cell notebook as Jupyter writes it, with `source` as given. */
function notebookText(source: unknown, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ cells: [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source, ...extra }], nbformat: 4 }, null, 1)}\n`;
}

function apply(text: string, edit: { range: [number, number]; text: string }): string {
  return text.slice(0, edit.range[0]) + edit.text + text.slice(edit.range[1]);
}

function sourceOf(text: string): string {
  const source = (JSON.parse(text) as { cells: { source: string | string[] }[] }).cells[0]?.source;
  return Array.isArray(source) ? source.join("") : (source ?? "");
}

describe("sourceEdit", () => {
  const lines = ["const a = 1;\n", 'const é = "q";\n', "\n", "a"];
  const joined = lines.join("");

  it("maps every replacement of every range of the source to the right JSON, touching only the source", () => {
    for (const replacement of ["", "x", "y\n", "\nz\n"]) {
      for (let start = 0; start <= joined.length; start++) {
        for (let end = start; end <= joined.length; end++) {
          for (const source of [lines, joined]) {
            const text = notebookText(source);
            const [cell] = cellLocations(parseJsonRanges(text));
            const edit = sourceEdit(text, cell?.source, start, end, replacement);
            expect(edit, `${start}-${end}`).toBeDefined();
            if (edit === undefined) continue;
            const fixed = apply(text, edit);
            expect(sourceOf(fixed)).toBe(joined.slice(0, start) + replacement + joined.slice(end));
            // Nothing before the source array changes.
            const sourceAt = text.indexOf('"source"');
            expect(fixed.slice(0, sourceAt)).toBe(text.slice(0, sourceAt));
          }
        }
      }
    }
  });

  it("keeps one line per item, indented like its neighbours", () => {
    const text = notebookText(lines);
    const [cell] = cellLocations(parseJsonRanges(text));
    const start = joined.indexOf("1;");
    const edit = sourceEdit(text, cell?.source, start, start + 1, "1,\n  2");
    expect(edit).toBeDefined();
    if (edit === undefined) return;
    expect(apply(text, edit)).toBe(text.replace('"const a = 1;\\n",', '"const a = 1,\\n",\n    "  2;\\n",'));
  });
});

describe("markerEdit", () => {
  const text = notebookText(["x"], {
    execution_count: 4,
    metadata: { tags: ["nod", "other"] },
    outputs: [{ output_type: "stream", name: "stdout", text: ["1"] }],
  });
  const [cell] = cellLocations(parseJsonRanges(text));
  const marker = formatMarker({ number: 1, type: "code", tags: ["nod", "other"], outputs: 1, executionCount: 4 });

  it("renames a tag in place", () => {
    const edit = cell && markerEdit(text, cell, marker, marker.replace('"nod"', '"node"'));
    expect(edit && apply(text, edit)).toBe(text.replace('"nod"', '"node"'));
  });

  it("clears outputs and execution count in one edit", () => {
    const cleared = formatMarker({ number: 1, type: "code", tags: ["nod", "other"], outputs: 0, executionCount: null });
    const edit = cell && markerEdit(text, cell, marker, cleared);
    const fixed = edit && apply(text, edit);
    const original = JSON.parse(text) as { cells: Record<string, unknown>[] };
    expect(JSON.parse(fixed ?? "{}")).toEqual({
      ...original,
      cells: [{ ...original.cells[0], outputs: [], execution_count: null }],
    });
  });

  it("refuses what the notebook cannot express that way", () => {
    const more = formatMarker({ number: 1, type: "code", tags: ["nod", "other"], outputs: 2, executionCount: 4 });
    expect(cell && markerEdit(text, cell, marker, more)).toBeUndefined();
    expect(cell && markerEdit(text, cell, marker, "//@cell 2 code {}")).toBeUndefined();
  });
});
