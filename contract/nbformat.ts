// An nbformat 4.5 notebook in memory, whole (outputs, ids, metadata): what the kernel runs and writes back.
import { randomBytes } from "node:crypto";
import type { JsonObject, JsonValue } from "./json-value.ts";

/** A mime bundle: mime type → text (joined), base64 or JSON. */
export type MimeBundle = { [mimeType: string]: JsonValue };

/** Text a cell printed. */
export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}
/** Rich output displayed by a cell. */
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: JsonObject;
}
/** The value of a cell's last expression. */
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: JsonObject;
}
/** An exception a cell raised. */
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
/** One output of a code cell. */
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

interface CellBase {
  id: string;
  metadata: JsonObject;
  /** Joined: nbformat's list-of-lines form only exists on disk. */
  source: string;
}
/** A code cell with its outputs. */
export interface CodeCell extends CellBase {
  cell_type: "code";
  execution_count: number | null;
  outputs: Output[];
}
/** A markdown cell. */
export interface MarkdownCell extends CellBase {
  cell_type: "markdown";
  attachments?: JsonObject;
}
/** A raw cell. */
export interface RawCell extends CellBase {
  cell_type: "raw";
  attachments?: JsonObject;
}
/** Any cell. */
export type Cell = CodeCell | MarkdownCell | RawCell;

/** An nbformat 4.5 notebook document. */
export interface NotebookDocument {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
}

/** A valid nbformat 4.5 cell id. */
export const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** A fresh cell id like nbformat's (8 hex digits). */
export function newCellId(): string {
  return randomBytes(4).toString("hex");
}

/** The tags of a cell (`metadata.tags`), empty when absent. */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata["tags"];
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : [];
}
