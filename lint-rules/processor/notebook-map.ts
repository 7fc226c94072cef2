// Maps ESLint messages on the notebook view back to the notebook: "cell N, line L" in the message, the position of
// those characters in the .ipynb file as its line and column, and fixes and suggestions rewritten as JSON edits.
import { cellRef, describeLocation, type CellRef, type Notebook } from "@cellforge/contract";
import type { Linter } from "eslint";
import { markerEdit, sourceEdit, type TextEdit } from "./cell-edits.ts";
import { stringOffsets, type CellJson, type JsonValue } from "./json-ranges.ts";
import type { NotebookProjection, ProjectedCell } from "./projection.ts";
import { sourceOffset } from "./import-paths.ts";
import { lineStarts, offsetAt, positionAt } from "./text-positions.ts";

type JsonString = JsonValue & { kind: "string" };

/** Rules whose report on a cell's last expression statement the kernel's display makes moot. */
const DISPLAY_RULES = new Set(["no-unused-expressions", "@typescript-eslint/no-unused-expressions"]);

/** Where a view offset lands in the notebook. */
type Place =
  | { kind: "source"; cell: ProjectedCell; offset: number }
  | { kind: "marker"; cell: ProjectedCell; offset: number }
  | { kind: "between"; cell: ProjectedCell | undefined };

/** Everything needed to map one notebook's messages: its file text, view, reader cells and JSON locations. */
export class NotebookMap {
  readonly #fileStarts: number[];
  readonly #viewStarts: number[];
  readonly #offsets = new Map<JsonString, number[]>();
  readonly #cellStarts = new Map<number, number[]>();

  constructor(
    readonly fileText: string,
    readonly notebook: Notebook,
    readonly projection: NotebookProjection,
    readonly json: readonly CellJson[],
  ) {
    this.#fileStarts = lineStarts(fileText);
    this.#viewStarts = lineStarts(projection.text);
  }

  /** Maps one message of the view; fixes and suggestions that cannot be mapped are dropped, the message is kept. */
  mapMessage(message: Linter.LintMessage): Linter.LintMessage {
    const start = this.#viewOffset(message.line, message.column);
    const place = this.#place(start);
    const { fix, suggestions, endLine, endColumn, ...rest } = message;
    const mapped: Linter.LintMessage = { ...rest, ...this.#where(place) };
    if (endLine !== undefined && endColumn !== undefined) {
      const end = this.#place(this.#viewOffset(endLine, endColumn));
      if (place.kind === "source" && end.kind === "source" && end.cell === place.cell) {
        const position = positionAt(this.#fileStarts, this.#rawSourceOffset(place.cell, end.offset));
        mapped.endLine = position.line;
        mapped.endColumn = position.column;
      }
    }
    mapped.message = `${this.#label(place)}: ${message.message}`;
    const mappedFix = fix === undefined ? undefined : this.mapEdit(fix);
    if (mappedFix !== undefined) mapped.fix = mappedFix;
    if (suggestions !== undefined) {
      const kept = suggestions.flatMap((suggestion) => {
        const edit = this.mapEdit(suggestion.fix);
        return edit === undefined ? [] : [{ ...suggestion, fix: edit }];
      });
      if (kept.length > 0) mapped.suggestions = kept;
    }
    return mapped;
  }

  /**
   * Whether a message is no-unused-expressions on a cell's last statement: the kernel displays that value (`df.shape`
   * as a cell's last line is how a notebook shows it), so it is used.
   */
  isDisplayedExpression(message: Linter.LintMessage): boolean {
    if (
      message.ruleId === null ||
      !DISPLAY_RULES.has(message.ruleId) ||
      message.endLine === undefined ||
      message.endColumn === undefined
    )
      return false;
    const start = this.#place(this.#viewOffset(message.line, message.column));
    if (start.kind !== "source") return false;
    // A last line without a semicolon takes the `;` line that follows the cell as its end.
    const end = Math.min(this.#viewOffset(message.endLine, message.endColumn), start.cell.sourceEnd);
    const rest = this.projection.text.slice(end, start.cell.sourceEnd);
    const after = this.projection.text.slice(
      start.cell.sourceEnd,
      this.#viewOffset(message.endLine, message.endColumn),
    );
    return /^(?:\s|;|\/\/[^\n]*)*$/.test(rest) && /^[\s;]*$/.test(after);
  }

  /** Maps an edit of the view to an edit of the notebook file, or undefined when it spans cells or touches no cell. */
  mapEdit(edit: { range: [number, number]; text: string }): TextEdit | undefined {
    const [start, end] = edit.range;
    const from = this.#place(start);
    const to = this.#place(end);
    if (from.kind === "between" || to.kind !== from.kind || to.cell !== from.cell) return undefined;
    const json = this.json[from.cell.number - 1];
    if (json === undefined) return undefined;
    if (from.kind === "source") return sourceEdit(this.fileText, json.source, from.offset, to.offset, edit.text);
    const marker = this.projection.text.slice(from.cell.markerStart, from.cell.markerEnd);
    const changed = marker.slice(0, from.offset) + edit.text + marker.slice(to.offset);
    return markerEdit(this.fileText, json, marker, changed);
  }

  #viewOffset(line: number, column: number): number {
    return offsetAt(this.#viewStarts, this.projection.text.length, line, column);
  }

  #place(offset: number): Place {
    let previous: ProjectedCell | undefined;
    for (const cell of this.projection.cells) {
      if (offset >= cell.markerStart && offset <= cell.markerEnd)
        return { kind: "marker", cell, offset: offset - cell.markerStart };
      if (cell.type === "code" && offset >= cell.sourceStart && offset <= cell.sourceEnd)
        return { kind: "source", cell, offset: sourceOffset(cell.edits, offset - cell.sourceStart) };
      if (cell.markerStart > offset) break;
      if (cell.type === "code") previous = cell;
    }
    return { kind: "between", cell: previous };
  }

  /** "cell [9] (code cell 7, line 2)", "code cell 7, tag `nodes`" or "code cell 7", as the extractor writes locations. */
  #label(place: Place): string {
    if (place.cell === undefined) return "notebook";
    const notebookCell = this.notebook.cells[place.cell.number - 1];
    const ref: CellRef = notebookCell === undefined ? { cell: place.cell.number } : cellRef(notebookCell);
    if (place.kind === "source") {
      const source = this.#source(place.cell);
      return describeLocation({
        ...ref,
        line: positionAt(this.#cellLineStarts(place.cell, source), place.offset).line,
      });
    }
    if (place.kind === "between") {
      const source = this.#source(place.cell);
      return describeLocation({ ...ref, line: this.#cellLineStarts(place.cell, source).length });
    }
    const tag = this.#tagIndex(place.cell, place.offset);
    const tagName = tag === undefined ? undefined : notebookCell?.tags[tag];
    return describeLocation(tagName === undefined ? ref : { ...ref, tag: tagName });
  }

  /** The file line and column of a place: the characters of the source or tag, or the JSON value a marker field stands for. */
  #where(place: Place): { line: number; column: number } {
    if (place.cell === undefined) return { line: 1, column: 1 };
    if (place.kind === "source") return positionAt(this.#fileStarts, this.#rawSourceOffset(place.cell, place.offset));
    if (place.kind === "between")
      return positionAt(
        this.#fileStarts,
        this.#rawSourceOffset(place.cell, place.cell.sourceEnd - place.cell.sourceStart),
      );
    const json = this.json[place.cell.number - 1];
    const fields = place.cell.fields;
    const inside = (range: readonly [number, number] | undefined): boolean =>
      range !== undefined && place.offset >= range[0] && place.offset < range[1];
    const tag = this.#tagIndex(place.cell, place.offset);
    const target =
      (tag !== undefined && json?.tags?.kind === "array" ? json.tags.items[tag] : undefined) ??
      (inside(fields.outputs) ? json?.outputs : undefined) ??
      (inside(fields.executionCount) ? json?.executionCount : undefined) ??
      json?.cell;
    return positionAt(this.#fileStarts, target?.start ?? 0);
  }

  #tagIndex(cell: ProjectedCell, offset: number): number | undefined {
    const index = cell.fields.tags.findIndex(([start, end]) => offset >= start && offset < end);
    return index < 0 ? undefined : index;
  }

  #source(cell: ProjectedCell): string {
    return this.projection.text.slice(cell.sourceStart, cell.sourceEnd);
  }

  #cellLineStarts(cell: ProjectedCell, source: string): number[] {
    let starts = this.#cellStarts.get(cell.number);
    if (starts === undefined) {
      starts = lineStarts(source);
      this.#cellStarts.set(cell.number, starts);
    }
    return starts;
  }

  /** The file offset where the character at `offset` of a code cell's source is written. */
  #rawSourceOffset(cell: ProjectedCell, offset: number): number {
    const source = this.json[cell.number - 1]?.source;
    const strings: JsonString[] =
      source?.kind === "string"
        ? [source]
        : source?.kind === "array"
          ? source.items.filter((item): item is JsonString => item.kind === "string")
          : [];
    let rest = offset;
    for (const [k, value] of strings.entries()) {
      if (rest < value.value.length || k === strings.length - 1) {
        let offsets = this.#offsets.get(value);
        if (offsets === undefined) {
          offsets = stringOffsets(this.fileText, value);
          this.#offsets.set(value, offsets);
        }
        return offsets[Math.min(rest, offsets.length - 1)] ?? value.start;
      }
      rest -= value.value.length;
    }
    return source?.start ?? this.json[cell.number - 1]?.cell.start ?? 0;
  }
}
