/**
 * The one rule that turns CSV text into values, for the catalog's csv datasets (either engine), the UI's
 * try-it sample and `/invocations`. With a field's JSON schema: numbers, `true`/`false` (any case; `1`/`0`
 * stay numbers), null for an empty cell where the field may be null, lists as JSON or as pandas writes
 * Python lists (`['Blaze', None, True]`). Without a schema (a catalog file), a column is typed as a whole:
 * numbers if every non-empty cell is one, booleans if every one is true/false, else text; empty cells are null.
 */

/** A field's JSON schema (the catalog layer does not import the pipeline's or the config's types). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The types a schema declares (`"type": "number"` or `["number", "null"]`); empty when it declares none. */
export function schemaTypes(schema: JsonSchema): string[] {
  const type = schema["type"];
  if (typeof type === "string") return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === "string") : [];
}

/** A Python list literal as pandas writes a list cell: quoted strings, numbers, None, True, False; undefined when it is not one. */
export function pythonList(text: string): unknown[] | undefined {
  const token =
    /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(None|True|False))\s*(,|\])/y;
  if (!/^\s*\[/.test(text)) return undefined;
  token.lastIndex = text.indexOf("[") + 1;
  if (/^\s*\]\s*$/.test(text.slice(token.lastIndex))) return [];
  const items: unknown[] = [];
  for (;;) {
    const match = token.exec(text);
    if (match === null) return undefined;
    const [, single, double, number, keyword, end] = match;
    const quoted = single ?? double;
    if (quoted !== undefined) {
      // The escapes Python's repr writes; any other (\uXXXX…) is left to the JSON reader.
      if (/\\[^\\'"nt]/.test(quoted)) return undefined;
      items.push(quoted.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t" })[c] ?? c));
    } else if (number !== undefined) items.push(Number(number));
    else items.push(keyword === "None" ? null : keyword === "True");
    if (end === "]") return text.slice(token.lastIndex).trim() === "" ? items : undefined;
  }
}

const BOOLEAN = /^(true|false)$/i;

/** Reads a cell as a value of `field`, or keeps the text when it is none of what the field takes (validation then names it). */
export function cellReader(field: JsonSchema | undefined): (cell: string) => unknown {
  const read = cellTyper(field);
  if (!(field !== undefined && schemaTypes(field).includes("array"))) return read;
  // List cells repeat (a column of abilities has a few hundred distinct values in a million rows): each text is
  // read once, and every row gets its own copy, so that no two records share an array.
  const lists = new Map<string, unknown>();
  return (cell) => {
    let value = lists.get(cell);
    if (value === undefined) {
      value = read(cell);
      const flat = Array.isArray(value) && value.every((item) => typeof item !== "object" || item === null);
      if (flat && lists.size < 10_000) lists.set(cell, value);
      else return value;
    }
    return Array.isArray(value) ? value.slice() : value;
  };
}

function cellTyper(field: JsonSchema | undefined): (cell: string) => unknown {
  if (field === undefined) return (cell) => cell;
  const types = new Set(schemaTypes(field));
  const nullable = types.has("null");
  const numeric = types.has("number") || types.has("integer");
  const boolean = types.has("boolean");
  const structured = types.has("array") || types.has("object");
  return (cell) => {
    const text = cell.trim();
    if (text === "") return nullable ? null : cell;
    if (numeric) {
      const number = Number(text);
      if (Number.isFinite(number)) return number;
    }
    if (boolean && BOOLEAN.test(text)) return text.toLowerCase() === "true";
    if (structured) {
      // A list cell is read as a Python list first: pandas writes them so, and a failed JSON.parse throws, which
      // costs more than the whole row. JSON lists of strings and numbers read the same either way.
      const list = types.has("array") ? pythonList(text) : undefined;
      if (list !== undefined) return list;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // not JSON either: validation names the field
      }
    }
    return cell;
  };
}

function fits(value: unknown, types: readonly string[]): boolean {
  return types.some((type) => {
    if (type === "number") return typeof value === "number";
    if (type === "integer") return Number.isInteger(value);
    if (type === "boolean") return typeof value === "boolean";
    if (type === "string") return typeof value === "string";
    if (type === "null") return value === null;
    if (type === "array") return Array.isArray(value);
    if (type === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
    return false;
  });
}

/** One cell as a value `field` takes, by the same rule as `cellReader`; undefined when it cannot be one. */
export function cellValue(cell: string | undefined, field: JsonSchema): unknown {
  const types = schemaTypes(field);
  if (cell === undefined || cell.trim() === "") return types.includes("null") ? null : undefined;
  const value = cellReader(field)(cell);
  if (Array.isArray(field["enum"])) return (field["enum"] as unknown[]).find((v) => String(v) === String(value).trim());
  return fits(value, types) ? value : undefined;
}

/** The type of a column of a catalog CSV file: every non-empty cell a number, every one true/false, else text. */
export type ColumnType = "number" | "boolean" | "string";

/** The column type the cells make (all empty: number, as pandas reads an empty column). */
export function columnType(cells: readonly string[]): ColumnType {
  let numbers = true;
  let booleans = true;
  for (const cell of cells) {
    const text = cell.trim();
    if (text === "") continue;
    if (numbers && !Number.isFinite(Number(text))) numbers = false;
    if (booleans && !BOOLEAN.test(text)) booleans = false;
    if (!numbers && !booleans) return "string";
  }
  return numbers ? "number" : booleans ? "boolean" : "string";
}

/** A cell of a column of type `type`; empty cells are null. */
export function columnValue(cell: string, type: ColumnType): number | boolean | string | null {
  const text = cell.trim();
  if (text === "") return null;
  if (type === "number") return Number(text);
  if (type === "boolean") return text.toLowerCase() === "true";
  return cell;
}
