// The one nbformat 4 reader: a .ipynb file (or its parsed JSON) into a whole NotebookDocument, upgraded to 4.5 ids.
import { readFile } from "node:fs/promises";
import { NotebookError } from "./errors.ts";
import type { JsonObject } from "./json-value.ts";
import { CELL_ID, type Cell, type MimeBundle, newCellId, type NotebookDocument, type Output } from "./nbformat.ts";

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A cell or an output the reader cannot take, named in the words of the file. */
function malformed(path: string, what: string): NotebookError {
  return new NotebookError("unsupported-format", path, `${what}; repair it in Jupyter.`);
}

/** nbformat's "multiline string": a string or a list of strings to concatenate. */
function joinText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value.join("");
  return undefined;
}

function readMimeBundle(value: unknown, where: string, path: string): MimeBundle {
  if (!isObject(value)) throw malformed(path, `${where}.data must be an object`);
  const bundle: MimeBundle = {};
  for (const [mime, data] of Object.entries(value)) {
    bundle[mime] = Array.isArray(data) && data.every((line) => typeof line === "string") ? data.join("") : data;
  }
  return bundle;
}

function readOutput(value: unknown, where: string, path: string): Output {
  if (!isObject(value)) throw malformed(path, `${where} must be an object`);
  const metadata = isObject(value["metadata"]) ? value["metadata"] : {};
  switch (value["output_type"]) {
    case "stream": {
      const text = joinText(value["text"]);
      if (text === undefined) throw malformed(path, `${where}.text must be a string or a list of strings`);
      return { output_type: "stream", name: value["name"] === "stderr" ? "stderr" : "stdout", text };
    }
    case "display_data":
      return { output_type: "display_data", data: readMimeBundle(value["data"], where, path), metadata };
    case "execute_result": {
      const count = value["execution_count"];
      return {
        output_type: "execute_result",
        execution_count: typeof count === "number" ? count : null,
        data: readMimeBundle(value["data"], where, path),
        metadata,
      };
    }
    case "error": {
      const traceback = value["traceback"];
      const text = (key: string): string => (typeof value[key] === "string" ? value[key] : "");
      return {
        output_type: "error",
        ename: text("ename"),
        evalue: text("evalue"),
        traceback: Array.isArray(traceback) ? traceback.map(String) : [],
      };
    }
    default:
      throw malformed(path, `${where} has unknown output_type ${JSON.stringify(value["output_type"])}`);
  }
}

function readCell(value: unknown, index: number, seenIds: Set<string>, path: string): Cell {
  const where = `cell ${index + 1}`;
  const type = isObject(value) ? value["cell_type"] : undefined;
  const source = isObject(value) ? joinText(value["source"]) : undefined;
  if (!isObject(value) || (type !== "code" && type !== "markdown" && type !== "raw") || source === undefined) {
    throw malformed(
      path,
      `${where} is malformed (it needs a \`cell_type\` of code, markdown or raw and a string \`source\`)`,
    );
  }
  const metadata = isObject(value["metadata"]) ? value["metadata"] : {};
  // nbformat 4.5 ids: keep valid unique ones, mint the rest (as nbformat's validator repairs them).
  let id = typeof value["id"] === "string" && CELL_ID.test(value["id"]) ? value["id"] : newCellId();
  while (seenIds.has(id)) id = newCellId();
  seenIds.add(id);
  if (type === "code") {
    const outputs = value["outputs"];
    const count = value["execution_count"];
    return {
      id,
      cell_type: "code",
      metadata,
      source,
      execution_count: typeof count === "number" && Number.isInteger(count) ? count : null,
      outputs: Array.isArray(outputs)
        ? outputs.map((output, i) => readOutput(output, `${where} output ${i + 1}`, path))
        : [],
    };
  }
  const attachments = isObject(value["attachments"]) ? { attachments: value["attachments"] } : {};
  return { id, cell_type: type, metadata, source, ...attachments };
}

/** Parses notebook JSON (text or an already-parsed value) read from `path`; throws NotebookError unless it is nbformat 4. */
export function parseNotebookDocument(json: string | object, path: string): NotebookDocument {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new NotebookError(
        "invalid-json",
        path,
        `is not valid JSON (${reason}); open it in Jupyter and save it again.`,
      );
    }
  }
  if (!isObject(value) || value["nbformat"] !== 4 || !Array.isArray(value["cells"])) {
    throw new NotebookError(
      "unsupported-format",
      path,
      "is not an nbformat 4 notebook (expected an object with `nbformat: 4` and a `cells` array); save it with Jupyter 4 or later.",
    );
  }
  const minor = typeof value["nbformat_minor"] === "number" ? value["nbformat_minor"] : 0;
  const seenIds = new Set<string>();
  return {
    nbformat: 4,
    nbformat_minor: Math.max(5, minor),
    metadata: isObject(value["metadata"]) ? value["metadata"] : {},
    cells: value["cells"].map((cell: unknown, index) => readCell(cell, index, seenIds, path)),
  };
}

/** Reads and parses the .ipynb file at `path`; throws NotebookError when it cannot be read or is not nbformat 4. */
export async function readNotebookDocument(path: string): Promise<NotebookDocument> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new NotebookError("unreadable", path, `cannot be read (${reason}); check the path.`);
  }
  return parseNotebookDocument(text, path);
}
