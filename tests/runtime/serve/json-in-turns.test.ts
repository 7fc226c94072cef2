// A big JSON body parsed in pieces gives what JSON.parse of the whole gives, refuses what it refuses, and lets the
// event loop run between pieces.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../../runtime/pipeline/seeded-random.ts";
import { parseJsonInTurns } from "../../../runtime/serve/json-in-turns.ts";

const STRINGS = [
  "Blaze",
  "Solar Power",
  'say "hi"',
  "back\\slash",
  "[not, an] {array}",
  "Flabébé",
  "🔥 fire",
  "",
  "a\nb",
];

function value(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 2 || pick < 0.5) {
    const kind = Math.floor(next() * 6);
    if (kind === 0) return Math.floor(next() * 2000) - 1000;
    if (kind === 1) return (next() - 0.5) * 10 ** Math.floor(next() * 12 - 6);
    if (kind === 2) return STRINGS[Math.floor(next() * STRINGS.length)];
    if (kind === 3) return next() < 0.5;
    if (kind === 4) return null;
    return [STRINGS[0], STRINGS[1]];
  }
  if (pick < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth + 1));
  const record: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 4); i > 0; i--) record[`k${Math.floor(next() * 6)}`] = value(next, depth + 1);
  return record;
}

/** A body in one of MLflow's shapes, or another shape, with `rows` rows. */
function body(next: () => number, rows: number): unknown {
  const row = (): unknown =>
    next() < 0.5 ? [value(next, 2), value(next, 2)] : { hp: value(next, 2), abilities: value(next, 2) };
  const list = Array.from({ length: rows }, row);
  switch (Math.floor(next() * 6)) {
    case 0:
      return { dataframe_split: { columns: ["hp", "abilities"], data: list, index: list.map((_, i) => i) } };
    case 1:
      return { dataframe_records: list, params: {} };
    case 2:
      return { inputs: { hp: list, abilities: list.map(() => "x") } };
    case 3:
      return [list]; // rows under an array: parsed whole
    case 4:
      return { a: { b: { c: list } } }; // rows deeper than MLflow puts them: parsed whole
    default:
      return { instances: list, "\u00e9": [1, 2] };
  }
}

/** `text` with whitespace JSON allows around its punctuation (outside strings). */
function spaced(text: string, next: () => number): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    out += c;
    if (inString) {
      if (c === "\\") out += text[++i]!;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if ("[]{},:".includes(c) && next() < 0.3) out += [" ", "\n", "\t", "\r\n  "][Math.floor(next() * 4)];
  }
  return out;
}

async function outcome(text: string, piece: number): Promise<{ value?: unknown; error?: string }> {
  try {
    return { value: await parseJsonInTurns(Buffer.from(text), piece) };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

function expected(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { error: (error as Error).constructor.name };
  }
}

describe("parseJsonInTurns", () => {
  it("gives what JSON.parse gives for bodies of every MLflow shape, cut into pieces of any size", async () => {
    for (let seed = 1; seed <= 120; seed++) {
      const next = seededRandom(seed, "json-in-turns");
      const text = spaced(JSON.stringify(body(next, 20 + Math.floor(next() * 200))), next);
      const piece = [8, 64, 300, 4096][seed % 4]!;
      expect(await outcome(text, piece), `seed ${seed}`).toEqual(expected(text));
    }
  });

  it("refuses what JSON.parse refuses, and accepts what it accepts, after any one-character edit", async () => {
    const edits = [",", "]", "}", "[", "{", '"', ":", " ", "1", ""];
    for (let seed = 1; seed <= 400; seed++) {
      const next = seededRandom(seed, "json-in-turns");
      const valid = JSON.stringify(body(next, 30));
      const at = Math.floor(next() * valid.length);
      const edit = edits[Math.floor(next() * edits.length)]!;
      // Insert a character, or (with "") delete one.
      const text = edit === "" ? valid.slice(0, at) + valid.slice(at + 1) : valid.slice(0, at) + edit + valid.slice(at);
      expect(await outcome(text, 16), `seed ${seed}: ${JSON.stringify(text.slice(at - 10, at + 10))}`).toEqual(
        expected(text),
      );
    }
  });

  it.each([
    ["a trailing comma in the rows", `{"instances":[${"1,".repeat(100)}]}`],
    // With pieces of 16 bytes, the comma 16 bytes after `[` ends a piece, and the spaces after it are a piece alone.
    ["an empty row between two commas", `{"instances":[${"1,".repeat(8)}${" ".repeat(20)},1]}`],
    ["brackets that do not match", `{"instances":[${"1,".repeat(100)}1}}`],
    ["a second value after the body", `{"instances":[${"1,".repeat(100)}1]} {}`],
    ["a string that never ends", `{"instances":["${"a".repeat(200)}]}`],
  ])("refuses %s", async (_name, text) => {
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    await expect(parseJsonInTurns(Buffer.from(text), 16)).rejects.toThrow(SyntaxError);
  });

  it.each([
    ["rows named twice, the last kept", `{"instances":[${"1,".repeat(100)}1],"instances":[]}`],
    ["rows named twice, with an escaped key", `{"instances":[${"1,".repeat(100)}1],"\\u0069nstances":[2]}`],
    ["an envelope named twice", `{"x":{"rows":[${"1,".repeat(100)}1]},"x":{"rows":[]}}`],
  ])("keeps what JSON.parse keeps for a key named twice: %s", async (_name, text) => {
    expect(await parseJsonInTurns(Buffer.from(text), 16)).toEqual(JSON.parse(text));
  });

  it("makes a `__proto__` key an own property holding the rows, never the prototype", async () => {
    const text = `{"__proto__":[${"1,".repeat(100)}1]}`;
    const parsed = (await parseJsonInTurns(Buffer.from(text), 16)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(parsed["__proto__"]).toHaveLength(101);
  });

  it("lets the event loop run while it parses a 10,000-row body", async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({
      hp: i,
      abilities: ["Blaze", "Solar Power"],
      height: 1.7,
    }));
    const text = JSON.stringify({ dataframe_records: rows });
    let turns = 0;
    let parsing = true;
    const count = (): void => {
      turns++;
      if (parsing) setImmediate(count);
    };
    setImmediate(count);
    const parsed = await parseJsonInTurns(Buffer.from(text));
    parsing = false;
    expect(parsed).toEqual({ dataframe_records: rows });
    // One piece per 64 KiB at least: a /health request arriving meanwhile would be answered between two of them.
    expect(turns).toBeGreaterThanOrEqual(Math.floor(text.length / 65536));
  });
});
