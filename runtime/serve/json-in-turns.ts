/**
 * Parses a big JSON body in pieces, with a turn of the event loop between them, so that reading a 10,000-row batch
 * (10–20 ms of JSON.parse in one block) does not hold up /health and small /predict requests. The text is scanned for
 * its big arrays (the rows of an MLflow envelope: `dataframe_split.data`, `dataframe_records`, `instances`,
 * `inputs`); the rest is parsed with those arrays left empty, then each array is parsed a piece of whole elements at a
 * time and put in its place. Every piece is parsed by JSON.parse itself, so what is accepted, refused and built is
 * exactly what JSON.parse of the whole text gives; where that could differ (a duplicate key on the way to a big
 * array), the whole text is parsed in one piece.
 */
import { nextTurn } from "./next-turn.ts";

/** Bytes parsed per turn: about half a millisecond of JSON.parse. */
export const PIECE_BYTES = 64 * 1024;

const QUOTE = 34;
const BACKSLASH = 92;
/** What a byte is to the scan: most are nothing, and cost one table read. */
const NOTHING = 0;
const STRING = 1;
const OPEN_ARRAY = 2;
const OPEN_OBJECT = 3;
const CLOSE_ARRAY = 4;
const CLOSE_OBJECT = 5;
const COMMA = 6;
const BYTE_KINDS = new Uint8Array(256);
BYTE_KINDS[QUOTE] = STRING;
BYTE_KINDS["[".charCodeAt(0)] = OPEN_ARRAY;
BYTE_KINDS["{".charCodeAt(0)] = OPEN_OBJECT;
BYTE_KINDS["]".charCodeAt(0)] = CLOSE_ARRAY;
BYTE_KINDS["}".charCodeAt(0)] = CLOSE_OBJECT;
BYTE_KINDS[",".charCodeAt(0)] = COMMA;

/** Levels (depths) whose containers are followed closely: where the rows of every MLflow format are. */
const LEVELS = 3;

/** An array or object open at one of the first LEVELS depths. */
interface Level {
  array: boolean;
  /** Index of its opening bracket. */
  start: number;
  /** Every container above it is an object. */
  underObjects: boolean;
  /** Arrays: the commas at their own level that end a piece of elements. */
  cuts: number[];
  /** Objects under objects, at depth 0 or 1 (where a big array's path runs): their keys, to find a duplicate. */
  keys: Set<string> | undefined;
  /** Objects whose keys are kept: the key whose value is being read. */
  key: string;
  /** Objects: a string read now is a key (after `{` or `,`). */
  expectKey: boolean;
}

/** A big array to parse in pieces: where it is in the text, and where its value goes in the parsed rest. */
interface BigArray {
  start: number;
  end: number;
  cuts: number[];
  /** Object keys from the top level down to the array. */
  path: string[];
}

/** A key token's text (JSON.parse only when it has an escape: `"\u0061"` is the key `a`). */
function keyText(token: string): string {
  return token.includes("\\") ? (JSON.parse(token) as string) : token.slice(1, -1);
}

const decoder = new TextDecoder();

/** Bytes scanned per turn: about a millisecond. */
const SCAN_BYTES = 256 * 1024;

/**
 * Finds the arrays longer than `piece` bytes that sit at depth 1 or 2 under objects only (where the rows of every
 * MLflow format are), each with the commas that cut it into pieces of about `piece` bytes; `whole` when the text is
 * to be parsed in one piece (mismatched brackets, for JSON.parse to report, or a duplicate key where a path runs).
 * Strings are skipped; the rest of the syntax is left to JSON.parse. Scans a step at a time (`scanTo`).
 */
class BigArrayScan {
  readonly arrays: BigArray[] = [];
  whole = false;
  private readonly levels: Level[] = Array.from({ length: LEVELS }, () => ({
    array: false,
    start: 0,
    underObjects: true,
    cuts: [],
    keys: undefined,
    key: "",
    expectKey: false,
  }));
  /** Whether each open container is an array (1) or an object (0), outermost first. */
  private arrayAt = new Uint8Array(64);
  private depth = 0;
  private at = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly piece: number,
  ) {}

  get done(): boolean {
    return this.whole || this.at >= this.bytes.length;
  }

  /** Scans on to about byte `to` (a string under way is read to its end). */
  scanTo(to: number): void {
    const { bytes, levels, piece } = this;
    const length = bytes.length;
    const end = Math.min(to, length);
    let depth = this.depth;
    let i = this.at;
    for (; i < end; i++) {
      const kind = BYTE_KINDS[bytes[i]!]!;
      if (kind === NOTHING) continue;
      if (kind === STRING) {
        const start = i;
        for (i++; i < length; i++) {
          const c = bytes[i]!;
          if (c === BACKSLASH) i++;
          else if (c === QUOTE) break;
        }
        if (depth > LEVELS) continue;
        const level = levels[depth - 1];
        if (level === undefined || !level.expectKey) continue;
        level.expectKey = false;
        if (level.keys === undefined) continue;
        level.key = keyText(decoder.decode(bytes.subarray(start, i + 1)));
        if (level.keys.has(level.key)) return this.parseWhole();
        level.keys.add(level.key);
      } else if (kind === OPEN_ARRAY || kind === OPEN_OBJECT) {
        const array = kind === OPEN_ARRAY;
        if (depth === this.arrayAt.length) {
          const grown = new Uint8Array(depth * 2);
          grown.set(this.arrayAt);
          this.arrayAt = grown;
        }
        this.arrayAt[depth] = array ? 1 : 0;
        if (depth < LEVELS) {
          const level = levels[depth]!;
          const parent = depth === 0 ? undefined : levels[depth - 1]!;
          level.array = array;
          level.start = i;
          level.underObjects = parent === undefined || (!parent.array && parent.underObjects);
          if (array) level.cuts = [];
          level.keys = !array && level.underObjects && depth <= 1 ? new Set() : undefined;
          level.expectKey = !array;
        }
        depth++;
      } else if (kind === COMMA) {
        if (depth === 0 || depth > LEVELS) continue;
        const level = levels[depth - 1]!;
        if (!level.array) level.expectKey = true;
        else if (depth > 1) {
          const cuts = level.cuts;
          if (i - (cuts.length === 0 ? level.start : cuts[cuts.length - 1]!) >= piece) cuts.push(i);
        }
      } else {
        if (depth === 0 || this.arrayAt[depth - 1] !== (kind === CLOSE_ARRAY ? 1 : 0)) return this.parseWhole();
        depth--;
        if (depth === 0 || depth >= LEVELS) continue;
        const level = levels[depth]!;
        if (level.array && level.underObjects && i - level.start > piece) {
          const path = levels.slice(0, depth).map((above) => above.key);
          this.arrays.push({ start: level.start, end: i + 1, cuts: level.cuts, path });
        }
      }
    }
    this.depth = depth;
    this.at = i;
  }

  private parseWhole(): void {
    this.whole = true;
  }
}

/** Sets `value` as own property `key` of `record`, as JSON.parse does (a `__proto__` key is a property, not the prototype). */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Puts `value` at `path` in `root`, where the rest's parse left a placeholder `[]` in its place; false when the
 * placeholder is not there (the scan keeps paths free of duplicate keys; this only guards that), so the text is parsed whole.
 */
function place(root: unknown, path: readonly string[], value: unknown[]): boolean {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) return false;
    const key = path[i]!;
    if (!Object.hasOwn(node, key)) return false;
    const next = (node as Record<string, unknown>)[key];
    if (i === path.length - 1) {
      if (!Array.isArray(next) || next.length !== 0) return false;
      setOwn(node as Record<string, unknown>, key, value);
      return true;
    }
    node = next;
  }
  return false;
}

/** `body` (UTF-8 bytes) parsed as JSON.parse would, a piece at a time; rejects with JSON.parse's SyntaxError where it would throw. */
export async function parseJsonInTurns(body: Buffer, piece = PIECE_BYTES): Promise<unknown> {
  const whole = (): unknown => JSON.parse(body.toString("utf8")) as unknown;
  if (body.length <= piece) return whole();
  const scan = new BigArrayScan(body, piece);
  for (let to = SCAN_BYTES; ; to += SCAN_BYTES) {
    scan.scanTo(to);
    if (scan.done) break;
    await nextTurn();
  }
  const arrays = scan.arrays;
  if (scan.whole || arrays.length === 0) return whole();
  const parts: string[] = [];
  let at = 0;
  for (const array of arrays) {
    parts.push(body.toString("utf8", at, array.start), "[]");
    at = array.end;
  }
  parts.push(body.toString("utf8", at));
  const root = JSON.parse(parts.join("")) as unknown;
  for (const array of arrays) {
    const values: unknown[] = [];
    let from = array.start + 1;
    for (const cut of [...array.cuts, array.end - 1]) {
      await nextTurn();
      const parsed = JSON.parse(`[${body.toString("utf8", from, cut)}]`) as unknown[];
      // A piece of nothing but spaces between two commas is an empty element, which JSON.parse of the whole refuses.
      if (parsed.length === 0 && array.cuts.length > 0) return whole();
      for (let i = 0; i < parsed.length; i++) values.push(parsed[i]);
      from = cut + 1;
    }
    if (!place(root, array.path, values)) return whole();
  }
  return root;
}
