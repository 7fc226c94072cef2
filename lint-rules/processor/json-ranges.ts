// Where things are in a notebook's JSON text: a JSON parse that keeps every value's offsets, so messages and
// fixes can be mapped to the exact characters of a cell's source, tags, outputs or execution count.

/** A JSON value and the offsets of its text ([start, end), end exclusive). */
export type JsonValue =
  | { kind: "object"; start: number; end: number; members: readonly JsonMember[] }
  | { kind: "array"; start: number; end: number; items: readonly JsonValue[] }
  | { kind: "string"; start: number; end: number; value: string }
  | { kind: "scalar"; start: number; end: number };

/** One `"key": value` pair of an object. */
export interface JsonMember {
  key: string;
  keyStart: number;
  value: JsonValue;
}

/** Text that is not valid JSON, with the offset where parsing stopped. */
export class JsonSyntaxError extends Error {
  override readonly name = "JsonSyntaxError";

  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

// A run of string characters without quotes or escapes, read in one step (outputs can hold megabytes of base64).
const PLAIN = /[^"\\]+/y;

const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Parses JSON text into values that remember their offsets; throws JsonSyntaxError. */
export function parseJsonRanges(text: string): JsonValue {
  let at = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(at, `${what} at offset ${at}`);
  };
  const skipSpace = (): void => {
    while (at < text.length && " \t\r\n".includes(text.charAt(at))) at++;
  };
  const expect = (char: string): void => {
    if (text.charAt(at) !== char) fail(`expected '${char}'`);
    at++;
  };
  const parseString = (): JsonValue & { kind: "string" } => {
    const start = at;
    expect('"');
    let value = "";
    for (;;) {
      const char = text.charAt(at);
      if (at >= text.length) fail("unterminated string");
      if (char === '"') break;
      if (char === "\\") {
        const escape = text.charAt(at + 1);
        if (escape === "u") {
          const hex = text.slice(at + 2, at + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\u escape");
          value += String.fromCharCode(parseInt(hex, 16));
          at += 6;
        } else {
          const decoded = ESCAPES[escape];
          if (decoded === undefined) fail("invalid escape");
          value += decoded;
          at += 2;
        }
      } else {
        PLAIN.lastIndex = at;
        const run = PLAIN.exec(text)?.[0] ?? char;
        value += run;
        at += run.length;
      }
    }
    at++;
    return { kind: "string", start, end: at, value };
  };
  const parseValue = (): JsonValue => {
    skipSpace();
    const start = at;
    const char = text.charAt(at);
    if (char === "{") {
      at++;
      const members: JsonMember[] = [];
      skipSpace();
      if (text.charAt(at) === "}") {
        at++;
        return { kind: "object", start, end: at, members };
      }
      for (;;) {
        skipSpace();
        const key = parseString();
        skipSpace();
        expect(":");
        members.push({ key: key.value, keyStart: key.start, value: parseValue() });
        skipSpace();
        if (text.charAt(at) === ",") at++;
        else break;
      }
      expect("}");
      return { kind: "object", start, end: at, members };
    }
    if (char === "[") {
      at++;
      const items: JsonValue[] = [];
      skipSpace();
      if (text.charAt(at) === "]") {
        at++;
        return { kind: "array", start, end: at, items };
      }
      for (;;) {
        items.push(parseValue());
        skipSpace();
        if (text.charAt(at) === ",") at++;
        else break;
      }
      expect("]");
      return { kind: "array", start, end: at, items };
    }
    if (char === '"') return parseString();
    const scalar = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(at, at + 64));
    if (scalar === null) return fail("unexpected token");
    at += scalar[0].length;
    return { kind: "scalar", start, end: at };
  };
  const root = parseValue();
  skipSpace();
  if (at < text.length) fail("unexpected text after the JSON value");
  return root;
}

/** The value of `key` in an object value, if any. */
export function member(value: JsonValue | undefined, key: string): JsonValue | undefined {
  return value?.kind === "object" ? value.members.find((m) => m.key === key)?.value : undefined;
}

/**
 * For a string value, the offset in the JSON text of each decoded UTF-16 unit, plus one entry for the
 * closing quote: `offsets[i]` is where the i-th character of `value` is written.
 */
export function stringOffsets(text: string, value: JsonValue & { kind: "string" }): number[] {
  const offsets: number[] = [];
  let at = value.start + 1;
  while (at < value.end - 1) {
    offsets.push(at);
    at += text.charAt(at) !== "\\" ? 1 : text.charAt(at + 1) === "u" ? 6 : 2;
  }
  offsets.push(value.end - 1);
  return offsets;
}

/** The JSON locations of one cell: the cell object and the values the processor reads or rewrites. */
export interface CellJson {
  cell: JsonValue;
  /** `source`: a string or an array of strings. */
  source: JsonValue | undefined;
  /** `metadata.tags`. */
  tags: JsonValue | undefined;
  outputs: JsonValue | undefined;
  executionCount: JsonValue | undefined;
}

/** The locations of every cell of a parsed notebook, in document order. */
export function cellLocations(root: JsonValue): CellJson[] {
  const cells = member(root, "cells");
  if (cells?.kind !== "array") return [];
  return cells.items.map((cell) => ({
    cell,
    source: member(cell, "source"),
    tags: member(member(cell, "metadata"), "tags"),
    outputs: member(cell, "outputs"),
    executionCount: member(cell, "execution_count"),
  }));
}
