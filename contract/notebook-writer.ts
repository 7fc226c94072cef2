// The one nbformat 4 writer: Jupyter's own layout (sorted keys, one-space indent, text split into lines, a trailing
// newline), so a notebook read and written back is byte-identical, written atomically.
import { writeFileAtomic } from "./atomic-write.ts";
import type { JsonObject, JsonValue } from "./json-value.ts";
import type { Cell, MimeBundle, NotebookDocument, Output } from "./nbformat.ts";

/** Mime types whose text nbformat splits into lines on disk, besides text/*. */
const SPLIT_MIME_TYPES = new Set(["application/javascript", "image/svg+xml"]);

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function writeMimeBundle(bundle: MimeBundle): JsonObject {
  const out: JsonObject = {};
  for (const [mime, data] of Object.entries(bundle)) {
    out[mime] =
      typeof data === "string" && (mime.startsWith("text/") || SPLIT_MIME_TYPES.has(mime)) ? splitLines(data) : data;
  }
  return out;
}

function writeOutput(output: Output): JsonObject {
  switch (output.output_type) {
    case "stream":
      return { output_type: "stream", name: output.name, text: splitLines(output.text) };
    case "display_data":
      return { output_type: "display_data", data: writeMimeBundle(output.data), metadata: output.metadata };
    case "execute_result":
      return {
        output_type: "execute_result",
        execution_count: output.execution_count,
        data: writeMimeBundle(output.data),
        metadata: output.metadata,
      };
    case "error":
      return { output_type: "error", ename: output.ename, evalue: output.evalue, traceback: output.traceback };
  }
}

function writeCell(cell: Cell): JsonObject {
  const base = { id: cell.id, cell_type: cell.cell_type, metadata: cell.metadata, source: splitLines(cell.source) };
  if (cell.cell_type === "code") {
    return { ...base, execution_count: cell.execution_count, outputs: cell.outputs.map(writeOutput) };
  }
  return cell.attachments === undefined ? base : { ...base, attachments: cell.attachments };
}

/** Sorts object keys recursively, as Jupyter's writer does (json.dumps sort_keys=True). */
function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    const item = value[key];
    if (item !== undefined) out[key] = sortKeys(item);
  }
  return out;
}

/** The notebook as Jupyter writes it: sorted keys, one-space indent, lines split, trailing newline. */
export function serializeNotebook(notebook: NotebookDocument): string {
  const json: JsonObject = {
    nbformat: notebook.nbformat,
    nbformat_minor: notebook.nbformat_minor,
    metadata: notebook.metadata,
    cells: notebook.cells.map(writeCell),
  };
  return `${JSON.stringify(sortKeys(json), null, 1)}\n`;
}

/** Writes a notebook atomically and durably, as Jupyter lays it out. */
export async function writeNotebook(path: string, notebook: NotebookDocument): Promise<void> {
  await writeFileAtomic(path, serializeNotebook(notebook));
}
