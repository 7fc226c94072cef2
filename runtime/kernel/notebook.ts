/** nbformat 4 notebooks in memory and on disk: parsing, cell ids (4.5), and Jupyter's own JSON layout. */
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { NotebookFormatError } from "./errors.ts";
import { isObject, type JsonObject, type JsonValue, stringField } from "./wire.ts";

/** A mime bundle: mime type → text (joined), base64 or JSON. */
export type MimeBundle = { [mimeType: string]: JsonValue };

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: JsonObject;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: JsonObject;
}
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
export interface CodeCell extends CellBase {
  cell_type: "code";
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCell extends CellBase {
  cell_type: "markdown";
  attachments?: JsonObject;
}
export interface RawCell extends CellBase {
  cell_type: "raw";
  attachments?: JsonObject;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

/** An nbformat 4.5 notebook. */
export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: JsonObject;
  cells: Cell[];
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;
/** Mime types whose text nbformat splits into lines on disk, besides text/*. */
const SPLIT_MIME_TYPES = new Set(["application/javascript", "image/svg+xml"]);

/** nbformat's "multiline string": a string or a list of strings to concatenate. */
function joinText(value: unknown, where: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value.join("");
  throw new NotebookFormatError(`${where} must be a string or a list of strings`);
}

function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** A fresh cell id like nbformat's (8 hex digits). */
export function newCellId(): string {
  return randomBytes(4).toString("hex");
}

/** The tags of a cell (`metadata.tags`), empty when absent. */
export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata["tags"];
  return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : [];
}

function readMimeBundle(value: unknown, where: string): MimeBundle {
  if (!isObject(value)) throw new NotebookFormatError(`${where}.data must be an object`);
  const bundle: MimeBundle = {};
  for (const [mime, data] of Object.entries(value)) {
    bundle[mime] = Array.isArray(data) && data.every((line) => typeof line === "string") ? data.join("") : data;
  }
  return bundle;
}

function readOutput(value: unknown, where: string): Output {
  if (!isObject(value)) throw new NotebookFormatError(`${where} must be an object`);
  const metadata = isObject(value["metadata"]) ? value["metadata"] : {};
  switch (value["output_type"]) {
    case "stream":
      return {
        output_type: "stream",
        name: value["name"] === "stderr" ? "stderr" : "stdout",
        text: joinText(value["text"], `${where}.text`),
      };
    case "display_data":
      return { output_type: "display_data", data: readMimeBundle(value["data"], where), metadata };
    case "execute_result": {
      const count = value["execution_count"];
      return {
        output_type: "execute_result",
        execution_count: typeof count === "number" ? count : null,
        data: readMimeBundle(value["data"], where),
        metadata,
      };
    }
    case "error": {
      const traceback = value["traceback"];
      return {
        output_type: "error",
        ename: stringField(value, "ename"),
        evalue: stringField(value, "evalue"),
        traceback: Array.isArray(traceback) ? traceback.map(String) : [],
      };
    }
    default:
      throw new NotebookFormatError(`${where} has unknown output_type ${JSON.stringify(value["output_type"])}`);
  }
}

function readCell(value: unknown, index: number, seenIds: Set<string>): Cell {
  const where = `cell ${index + 1}`;
  if (!isObject(value)) throw new NotebookFormatError(`${where} must be an object`);
  const metadata = isObject(value["metadata"]) ? value["metadata"] : {};
  const source = joinText(value["source"] ?? "", `${where}.source`);
  // nbformat 4.5 ids: keep valid unique ones, mint the rest (as nbformat's validator repairs them).
  let id = typeof value["id"] === "string" && CELL_ID.test(value["id"]) ? value["id"] : newCellId();
  while (seenIds.has(id)) id = newCellId();
  seenIds.add(id);
  const attachments = isObject(value["attachments"]) ? { attachments: value["attachments"] } : {};
  switch (value["cell_type"]) {
    case "code": {
      const outputs = value["outputs"];
      const count = value["execution_count"];
      return {
        id,
        cell_type: "code",
        metadata,
        source,
        execution_count: typeof count === "number" ? count : null,
        outputs: Array.isArray(outputs) ? outputs.map((output, i) => readOutput(output, `${where} output ${i + 1}`)) : [],
      };
    }
    case "markdown":
      return { id, cell_type: "markdown", metadata, source, ...attachments };
    case "raw":
      return { id, cell_type: "raw", metadata, source, ...attachments };
    default:
      throw new NotebookFormatError(`${where} has unknown cell_type ${JSON.stringify(value["cell_type"])}`);
  }
}

/** Parses notebook JSON (nbformat 4.x; upgraded to 4.5 with cell ids). `name` is used in error messages. */
export function parseNotebook(text: string, name: string): Notebook {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new NotebookFormatError(`${name} is not JSON (${error instanceof Error ? error.message : String(error)}): is it a .ipynb file?`);
  }
  if (!isObject(value) || value["nbformat"] !== 4 || !Array.isArray(value["cells"])) {
    throw new NotebookFormatError(`${name} is not an nbformat 4 notebook; open and save it in a current Jupyter to upgrade it`);
  }
  const minor = typeof value["nbformat_minor"] === "number" ? value["nbformat_minor"] : 0;
  const seenIds = new Set<string>();
  return {
    nbformat: 4,
    nbformat_minor: Math.max(5, minor),
    metadata: isObject(value["metadata"]) ? value["metadata"] : {},
    cells: value["cells"].map((cell, index) => readCell(cell, index, seenIds)),
  };
}

/** Reads and parses a .ipynb file. */
export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new NotebookFormatError(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseNotebook(text, path);
}

function writeMimeBundle(bundle: MimeBundle): JsonObject {
  const out: JsonObject = {};
  for (const [mime, data] of Object.entries(bundle)) {
    out[mime] = typeof data === "string" && (mime.startsWith("text/") || SPLIT_MIME_TYPES.has(mime)) ? splitLines(data) : data;
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
export function serializeNotebook(notebook: Notebook): string {
  const json: JsonObject = {
    nbformat: notebook.nbformat,
    nbformat_minor: notebook.nbformat_minor,
    metadata: notebook.metadata,
    cells: notebook.cells.map(writeCell),
  };
  return `${JSON.stringify(sortKeys(json), null, 1)}\n`;
}

/** Writes a notebook atomically (temp file + rename), so a reader never sees half a file. */
export async function writeNotebook(path: string, notebook: Notebook): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, serializeNotebook(notebook));
  await rename(temp, path);
}
