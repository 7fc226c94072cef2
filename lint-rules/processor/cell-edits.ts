// Turns an edit of the notebook view back into an edit of the notebook JSON: a change to a code cell's source
// rewrites only the affected strings of its `source` array; a change to a cell's marker rewrites its tags, outputs or
// execution count. Everything else in the file keeps its bytes, so the notebook keeps its formatting.
import { parseMarker } from "../notebook/cell-marker.ts";
import type { CellJson, JsonValue } from "./json-ranges.ts";

/** A replacement of `range` ([start, end) offsets) by `text`, as ESLint's fixes are written. */
export interface TextEdit {
  range: [number, number];
  text: string;
}

type JsonString = JsonValue & { kind: "string" };

/** The whitespace that starts the line `offset` is on, when only whitespace precedes `offset` on it. */
function indentBefore(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** Splits text into nbformat source lines: each ends with its "\n" except the last. */
function sourceLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.filter((line) => line !== "");
}

/** Writes string values as array items in the layout the existing items use (one per line, or inline). */
function writeItems(fileText: string, first: JsonValue, values: readonly string[]): string {
  const indent = indentBefore(fileText, first.start);
  return values.map((value) => JSON.stringify(value)).join(indent === undefined ? ", " : `,\n${indent}`);
}

/** Writes a whole string array, indenting items one step deeper than the line the array starts on. */
function writeArray(fileText: string, array: JsonValue, values: readonly string[]): string {
  if (values.length === 0) return "[]";
  const lineStart = fileText.lastIndexOf("\n", array.start - 1) + 1;
  const base = /^[ \t]*/.exec(fileText.slice(lineStart))?.[0] ?? "";
  const step = base.startsWith("\t") ? "\t" : " ";
  return `[\n${values.map((value) => `${base}${step}${JSON.stringify(value)}`).join(",\n")}\n${base}]`;
}

/** Merges edits of one cell into one edit (an ESLint fix is one range), keeping the text between them. */
function merge(fileText: string, edits: readonly TextEdit[]): TextEdit | undefined {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0]);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return undefined;
  let text = "";
  let at = first.range[0];
  for (const edit of sorted) {
    if (edit.range[0] < at) return undefined;
    text += fileText.slice(at, edit.range[0]) + edit.text;
    at = edit.range[1];
  }
  return { range: [first.range[0], last.range[1]], text };
}

/**
 * The JSON edit for replacing [start, end) of a code cell's source (offsets into the joined source) by `replacement`.
 * Undefined when the cell's `source` is not a string or an array of strings.
 */
export function sourceEdit(
  fileText: string,
  source: JsonValue | undefined,
  start: number,
  end: number,
  replacement: string,
): TextEdit | undefined {
  if (source?.kind === "string") {
    const value = source.value.slice(0, start) + replacement + source.value.slice(end);
    return { range: [source.start, source.end], text: JSON.stringify(value) };
  }
  if (source?.kind !== "array" || !source.items.every((item) => item.kind === "string")) return undefined;
  const items = source.items as readonly JsonString[];
  if (items.length === 0)
    return { range: [source.start, source.end], text: writeArray(fileText, source, sourceLines(replacement)) };
  const starts: number[] = [];
  let total = 0;
  for (const item of items) {
    starts.push(total);
    total += item.value.length;
  }
  const itemAt = (offset: number): number => {
    for (let k = items.length - 1; k >= 0; k--) if ((starts[k] ?? 0) <= offset) return k;
    return 0;
  };
  const first = itemAt(Math.min(start, total - 1));
  let last = end > start ? itemAt(end - 1) : first;
  const contentOf = (to: number): string =>
    items
      .slice(first, to + 1)
      .map((item) => item.value)
      .join("");
  const replaced = (to: number): string => {
    const content = contentOf(to);
    const from = starts[first] ?? 0;
    return content.slice(0, start - from) + replacement + content.slice(end - from);
  };
  // Keep the one-line-per-item layout: a replacement that removes a line's "\n" takes the next item in with it.
  while (last < items.length - 1 && !replaced(last).endsWith("\n")) last++;
  const content = replaced(last);
  const firstItem = items[first];
  const lastItem = items[last];
  if (firstItem === undefined || lastItem === undefined) return undefined;
  if (content === "") {
    if (first === 0 && last === items.length - 1) return { range: [source.start, source.end], text: "[]" };
    const next = items[last + 1];
    const previous = items[first - 1];
    if (next !== undefined) return { range: [firstItem.start, next.start], text: "" };
    return previous === undefined ? undefined : { range: [previous.end, lastItem.end], text: "" };
  }
  return { range: [firstItem.start, lastItem.end], text: writeItems(fileText, firstItem, sourceLines(content)) };
}

/**
 * The JSON edit for an edit of a cell's marker line: changed tags, outputs cleared, execution count changed.
 * Undefined when the new marker asks for something the notebook cannot express that way (e.g. adding outputs).
 */
export function markerEdit(
  fileText: string,
  cell: CellJson,
  oldMarker: string,
  newMarker: string,
): TextEdit | undefined {
  const before = parseMarker(oldMarker.replace(/^\/\//, ""));
  const after = parseMarker(newMarker.replace(/^\/\//, ""));
  if (before === undefined || after === undefined) return undefined;
  if (after.number !== before.number || after.type !== before.type || after.text !== before.text) return undefined;
  const edits: TextEdit[] = [];
  if (JSON.stringify(after.tags) !== JSON.stringify(before.tags)) {
    const tags = cell.tags;
    if (tags?.kind !== "array") return undefined;
    if (tags.items.length === after.tags.length) {
      tags.items.forEach((item, k) => {
        const value = after.tags[k] ?? "";
        if (value !== before.tags[k]) edits.push({ range: [item.start, item.end], text: JSON.stringify(value) });
      });
    } else {
      edits.push({ range: [tags.start, tags.end], text: writeArray(fileText, tags, after.tags) });
    }
  }
  if (after.outputs !== before.outputs) {
    if (after.outputs !== 0 || cell.outputs?.kind !== "array") return undefined;
    edits.push({ range: [cell.outputs.start, cell.outputs.end], text: "[]" });
  }
  if (after.executionCount !== before.executionCount) {
    if (cell.executionCount === undefined) return undefined;
    edits.push({
      range: [cell.executionCount.start, cell.executionCount.end],
      text: JSON.stringify(after.executionCount),
    });
  }
  return merge(fileText, edits);
}
