// The bytes the server answers with: what JSON.stringify writes, but float32 numbers in their shortest float32 digits.
import { describe, expect, it } from "vitest";
import { jsonBytes, numberText } from "../../../runtime/serve/json-bytes.ts";

const written = (value: unknown): string => jsonBytes(value).toString("utf8");

/** The fewest significant digits (1–9) whose decimal reads back to the float32 `value`. */
function fewestDigits(value: number): number {
  for (let precision = 1; precision <= 9; precision++)
    if (Math.fround(Number(value.toPrecision(precision))) === value) return precision;
  return 9;
}

const significantDigits = (text: string): number =>
  text.replace(/^-/, "").replace(/e.*$/, "").replace(".", "").replace(/^0+/, "").replace(/0+$/, "").length;

describe("jsonBytes", () => {
  it("writes what JSON.stringify writes for strings, escapes, nesting, left-out fields, toJSON and doubles", () => {
    const values: unknown[] = [
      { type: "fire", ok: true, no: false, none: null, count: 12, negative: -7, big: 2 ** 31, third: 1 / 3 },
      { quote: 'say "hi"\\', lines: "a\nb\tc\u0001", accents: "Flabébé", emoji: "🔥", lone: "\ud800" },
      { skipped: undefined, fn: () => 1, list: [undefined, () => 1, Symbol("s"), [1, [2, {}]]] },
      { when: new Date(0), custom: { toJSON: () => ({ kept: 1 }) } },
      [0, -0, 1e21, 1e-7, 5e-324, Number.MAX_SAFE_INTEGER, -2147483648, 0.1 + 0.2],
      Object.assign(Object.create({ inherited: 1 }) as object, { own: 2 }),
    ];
    for (const value of values) expect(written(value)).toBe(JSON.stringify(value));
  });

  it("writes NaN and ±Infinity as null, as JSON.stringify does", () => {
    expect(written([Number.NaN, Infinity, -Infinity])).toBe("[null,null,null]");
  });

  it("writes a float32 with the fewest digits that read back to the same float32", () => {
    expect(written({ p: Math.fround(0.9988102316856384) })).toBe('{"p":0.99881023}');
    expect(written([Math.fround(0.1), Math.fround(-2.5), Math.fround(123456.78), Math.fround(1e-7)])).toBe(
      "[0.1,-2.5,123456.78,1e-7]",
    );
    expect(written([Math.fround(3.3e-10), Math.fround(-1.5e-20)])).toBe("[3.3e-10,-1.5e-20]");
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    for (let i = 0; i < 50_000; i++) {
      const value = Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 16 - 7));
      const text = numberText(value);
      expect(Math.fround(Number(text))).toBe(value);
      const magnitude = Math.abs(value);
      if (Number.isInteger(value) || magnitude < 2 ** -126 || magnitude >= 1e9) expect(text).toBe(String(value));
      else expect(significantDigits(text)).toBe(fewestDigits(value));
    }
  });

  it("writes a float32 at or above 1e9, or subnormal, as JavaScript does, which reads back exactly", () => {
    for (const value of [Math.fround(4.2e12), Math.fround(-7.5e10), Math.fround(1e-40)])
      expect(numberText(value)).toBe(String(value));
  });
});
