/**
 * Reads a `text/csv` body, which MLflow's scoring server also takes (pandas' `to_csv`: a header row
 * of column names, then one row per record), as records of the request schema. CSV has only text,
 * so each cell is typed by its column's field: numbers, booleans, null for an empty cell where the
 * field may be null, lists written as JSON or as pandas writes Python lists (`['Blaze', 'Solar Power']`).
 * A cell that is none of what its field takes stays text, and the rows are then validated like
 * every other format's, so the 400 names the row and the field.
 */
import { schemaTypes } from "../config/json-schema.ts";
import type { JsonSchema } from "../pipeline/definition.ts";
import { InvalidRequestError } from "./errors.ts";

/** The records of an RFC 4180 text: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quotedFrom = -1;
  for (; i < text.length; i++) {
    const char = text[i]!;
    if (quotedFrom >= 0) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') field += text[++i];
      else quotedFrom = -1;
    } else if (char === '"' && field === "") quotedFrom = i;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += char;
  }
  if (quotedFrom >= 0) {
    const line = text.slice(0, quotedFrom).split("\n").length;
    throw new InvalidRequestError(`The CSV body has a quoted value that never ends (it opens on line ${line}); close it with a double quote.`);
  }
  if (field !== "" || record.length > 0) records.push([...record, field]);
  return records;
}

/** A Python list literal as pandas writes a list cell: quoted strings, numbers, None, True, False; undefined when it is not one. */
function pythonList(text: string): unknown[] | undefined {
  const token = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(None|True|False))\s*(,|\])/y;
  if (!/^\s*\[/.test(text)) return undefined;
  token.lastIndex = text.indexOf("[") + 1;
  if (/^\s*\]\s*$/.test(text.slice(token.lastIndex))) return [];
  const items: unknown[] = [];
  for (;;) {
    const match = token.exec(text);
    if (match === null) return undefined;
    const [, single, double, number, keyword, end] = match;
    const quoted = single ?? double;
    if (quoted !== undefined) items.push(quoted.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t" })[c] ?? c));
    else if (number !== undefined) items.push(Number(number));
    else items.push(keyword === "None" ? null : keyword === "True");
    if (end === "]") return text.slice(token.lastIndex).trim() === "" ? items : undefined;
  }
}

/** `cell` as a value of `field`, or the text itself when it is none of what the field takes. */
function typed(cell: string, field: JsonSchema | undefined): unknown {
  if (field === undefined) return cell;
  const types = schemaTypes(field);
  const text = cell.trim();
  if (text === "" && types.includes("null")) return null;
  if ((types.includes("number") || types.includes("integer")) && text !== "" && Number.isFinite(Number(text))) return Number(text);
  if (types.includes("boolean") && /^(true|false)$/i.test(text)) return text.toLowerCase() === "true";
  if (types.includes("array") || types.includes("object")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const list = types.includes("array") ? pythonList(text) : undefined;
      if (list !== undefined) return list;
    }
  }
  return cell;
}

/** The records of a CSV body, typed by `schema` (one request record's JSON schema). */
export function csvRows(text: string, schema: JsonSchema): Record<string, unknown>[] {
  const [header, ...rows] = parseCsv(text).filter((record) => !(record.length === 1 && record[0] === ""));
  if (header === undefined) throw new InvalidRequestError("The CSV body is empty: send a header row of column names, then one row per record.");
  // pandas' to_csv writes the index first, under an empty name: no field has an empty name, so it is the index.
  const skip = header[0] === "" ? 1 : 0;
  const columns = header.slice(skip);
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate !== undefined) throw new InvalidRequestError(`The CSV header names column \`${duplicate}\` twice.`, duplicate);
  const properties = (schema["properties"] ?? {}) as Record<string, JsonSchema>;
  return rows.map((row, index) => {
    if (row.length !== header.length) {
      throw new InvalidRequestError(`row ${index} has ${row.length - skip} values for ${columns.length} columns (${columns.join(", ")}).`, undefined, `/${index}`);
    }
    return Object.fromEntries(columns.map((name, i) => [name, typed(row[i + skip]!, properties[name])]));
  });
}
