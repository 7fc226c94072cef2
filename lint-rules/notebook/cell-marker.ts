// The `//@cell` comment line that opens each cell in the processor's TypeScript view of a notebook.
// It carries what the notebook JSON says about the cell beyond its code (tags, outputs, execution count, and the text
// of markdown and raw cells), so rules read notebook facts from the code they lint, and a fix that edits a marker
// edits the cell's JSON.
import type { CellType } from "@cellforge/contract";

/** What a marker says about its cell. */
export interface CellMarker {
  /** 1-based position among all cells, as the extractor counts. */
  number: number;
  type: CellType;
  tags: readonly string[];
  /** How many outputs the cell holds (code cells). */
  outputs: number;
  /** The cell's execution count, null when it has none. */
  executionCount: number | null;
  /** The text of a markdown or raw cell (a code cell's text follows its marker line). */
  text?: string;
}

/** Where one field of a marker is written, as offsets into the marker line. */
export interface MarkerFieldRanges {
  tags: readonly (readonly [number, number])[];
  outputs: readonly [number, number] | undefined;
  executionCount: readonly [number, number] | undefined;
}

/** The text every marker line starts with. */
export const MARKER_START = "//@cell ";

/** Ends every code cell's text, so a cell without a final semicolon does not run into the next ("a\n(b)" is a call). */
export const CELL_END = "\n;\n";

/** Opens the view: it makes the view a module, so each notebook's top-level names stay its own in the type checker. */
export const VIEW_START = "export {};\n";

const MARKER = /^@cell (\d+) (code|markdown|raw)(?: (.*))?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON on one line: a line comment ends at U+2028/U+2029, which JSON.stringify leaves raw. */
function oneLine(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Writes the marker line of a cell (without the line break). */
export function formatMarker(marker: CellMarker): string {
  const fields: Record<string, unknown> = { tags: marker.tags };
  if (marker.type === "code") {
    fields["outputs"] = marker.outputs;
    fields["executionCount"] = marker.executionCount;
  } else {
    fields["text"] = marker.text ?? "";
  }
  return `${MARKER_START}${marker.number} ${marker.type} ${oneLine(fields)}`;
}

/** Reads a marker from a line comment's text (what follows `//`); undefined when the comment is not a marker. */
export function parseMarker(comment: string): CellMarker | undefined {
  const match = MARKER.exec(comment);
  if (match === null) return undefined;
  let fields: unknown = {};
  if (match[3] !== undefined) {
    try {
      fields = JSON.parse(match[3]);
    } catch {
      return undefined;
    }
  }
  if (!isRecord(fields)) return undefined;
  const tags = Array.isArray(fields["tags"])
    ? fields["tags"].filter((tag): tag is string => typeof tag === "string")
    : [];
  const outputs = typeof fields["outputs"] === "number" ? fields["outputs"] : 0;
  const executionCount = typeof fields["executionCount"] === "number" ? fields["executionCount"] : null;
  const type = match[2] as CellType;
  const marker: CellMarker = { number: Number(match[1]), type, tags, outputs, executionCount };
  return typeof fields["text"] === "string" ? { ...marker, text: fields["text"] } : marker;
}

/** Where the tags, the output count and the execution count are written in a marker line. */
export function markerFieldRanges(line: string): MarkerFieldRanges {
  const brace = line.indexOf("{");
  const json = brace < 0 ? "" : line.slice(brace);
  const tags: [number, number][] = [];
  const tagsAt = json.indexOf('"tags":[');
  if (tagsAt >= 0) {
    // Walk the string literals of the tags array.
    let at = tagsAt + '"tags":['.length;
    while (json.charAt(at) === '"') {
      const start = at;
      at++;
      while (at < json.length && json.charAt(at) !== '"') at += json.charAt(at) === "\\" ? 2 : 1;
      at++;
      tags.push([brace + start, brace + at]);
      if (json.charAt(at) === ",") at++;
    }
  }
  const scalar = (key: string): [number, number] | undefined => {
    const match = new RegExp(`"${key}":(-?\\d+|null)`).exec(json);
    return match === null ? undefined : [brace + match.index + key.length + 3, brace + match.index + match[0].length];
  };
  return { tags, outputs: scalar("outputs"), executionCount: scalar("executionCount") };
}
