/**
 * Writes predictions as JSON bytes, the way JSON.stringify would but for one thing: a number the model computed in
 * float32 (one `Math.fround` leaves unchanged) is written with the fewest digits that still read back to that float32,
 * as TensorFlow Serving writes float outputs: 0.99881023, not 0.9988102316856384, whose last eight digits are the
 * noise of widening float32 to double. `Math.fround` of either text gives the same number, so nothing is lost; the
 * answer is about a quarter shorter, and writing it takes 0.6–0.85 of JSON.stringify's time plus encoding
 * (bench/invocations.ts, its "serialize to bytes" figure, runs of 2026-12-07).
 */

/** 10^0 … 10^46, each the double nearest it (read from text: `10 ** n` may be off by an ulp); exact up to 10^22. */
const POWERS = Array.from({ length: 47 }, (_, i) => Number(`1e${i}`));
/** 10^-38 … 10^9 at index exponent + 38: where log10 rounded down short of a power of ten, the next one is compared. */
const DECADE_OFFSET = 38;
const DECADES = Array.from({ length: 48 }, (_, i) => Number(`1e${i - DECADE_OFFSET}`));
/** 2^-126: below it a float32 has fewer significant bits, and its shortest digits are not found by rounding to 6. */
const SMALLEST_NORMAL_FLOAT32 = 2 ** -126;
const QUOTE = 34;
const BACKSLASH = 92;
const ZERO = 48;
const MINUS = 45;
const DOT = 46;
const COMMA = 44;
const LOWER_E = 101;
const COLON = 58;

/** A growing byte buffer that JSON values are written into. */
export class JsonBytes {
  private buffer: Buffer;
  private length = 0;

  constructor(capacity = 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  /** Bytes written so far. */
  get size(): number {
    return this.length;
  }

  /** Makes room for `bytes` more bytes (to size the buffer once when the answer's length can be foreseen). */
  reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Forgets what was written, to write anew into the same memory. */
  clear(): void {
    this.length = 0;
  }

  /** The bytes written, as one Buffer (a view: write nothing more after taking it). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /** Any text, as is, in UTF-8 (a CSV line). */
  text(text: string): void {
    this.reserve(text.length * 3);
    this.length += this.buffer.write(text, this.length, "utf8");
  }

  private byte(code: number): void {
    this.reserve(1);
    this.buffer[this.length++] = code;
  }

  /** Text made of ASCII characters only (punctuation such as `{"predictions":[`), written as is. */
  ascii(text: string): void {
    this.reserve(text.length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.length = at;
  }

  /** Writes `value` as JSON.stringify would (undefined, functions and symbols left out of objects, null in arrays), numbers as the file's comment says. */
  value(value: unknown): void {
    switch (typeof value) {
      case "number":
        return this.number(value);
      case "string":
        return this.string(value);
      case "boolean":
        return this.ascii(value ? "true" : "false");
      case "bigint":
        throw new TypeError("Do not know how to serialize a BigInt");
      case "object":
        if (value === null) return this.ascii("null");
        if (Array.isArray(value)) return this.array(value);
        return this.object(value as Record<string, unknown>);
      default:
        return this.ascii("null"); // undefined, a function or a symbol, where JSON.stringify writes null
    }
  }

  private array(values: readonly unknown[]): void {
    this.ascii("[");
    for (let i = 0; i < values.length; i++) {
      if (i > 0) this.byte(COMMA);
      this.value(values[i]);
    }
    this.ascii("]");
  }

  private object(record: Record<string, unknown>): void {
    if (typeof record["toJSON"] === "function") return this.value((record["toJSON"] as () => unknown)());
    const prototype = Object.getPrototypeOf(record) as unknown;
    const plain = prototype === Object.prototype || prototype === null;
    this.ascii("{");
    let first = true;
    for (const key in record) {
      if (!plain && !Object.hasOwn(record, key)) continue;
      const field = record[key];
      if (field === undefined || typeof field === "function" || typeof field === "symbol") continue;
      if (!first) this.byte(COMMA);
      first = false;
      this.string(key);
      this.byte(COLON);
      this.value(field);
    }
    this.ascii("}");
  }

  /** A string: ASCII without quotes, backslashes or control characters as is, anything else as JSON.stringify escapes it, in UTF-8. */
  private string(text: string): void {
    this.reserve(text.length + 2);
    const buffer = this.buffer;
    let at = this.length;
    buffer[at++] = QUOTE;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) {
        const escaped = JSON.stringify(text);
        this.reserve(Buffer.byteLength(escaped));
        this.length += this.buffer.write(escaped, this.length, "utf8");
        return;
      }
      buffer[at++] = code;
    }
    buffer[at++] = QUOTE;
    this.length = at;
  }

  /** A number: an int32 in digits, a float32 in its shortest float32 digits, any other double as JavaScript writes it, NaN and ±Infinity as null. */
  number(value: number): void {
    if ((value | 0) === value && value !== -2147483648) return this.integer(value);
    if (!Number.isFinite(value)) return this.ascii("null");
    if (Math.fround(value) !== value || !this.float32(value)) this.ascii(String(value));
  }

  private integer(value: number): void {
    this.reserve(11);
    const buffer = this.buffer;
    let at = this.length;
    if (value < 0) buffer[at++] = MINUS;
    const magnitude = (value < 0 ? -value : value) | 0;
    const digits = digitCount(magnitude);
    writeDigits(buffer, at, magnitude, digits);
    this.length = at + digits;
  }

  /**
   * `value`'s shortest float32 digits: the first of 6, 7, 8 and 9 significant digits whose decimal reads back to the
   * same float32 (any 6-digit decimal that does is the one rounding gives, so trailing zeros cut give the shorter
   * ones). With an exact power of ten, `mantissa / 10^n` is the double nearest the decimal, which is what a JSON
   * reader gets; past 10^22 the quotient is off by about an ulp, so the float32 must be the same a few ulps either
   * side. False for a float32 smaller than the smallest normal one or from 10^9 (JavaScript's digits are used).
   */
  private float32(value: number): boolean {
    const magnitude = Math.abs(value);
    if (magnitude < SMALLEST_NORMAL_FLOAT32 || magnitude >= 1e9) return false;
    let exponent = Math.floor(Math.log10(magnitude));
    if (magnitude >= DECADES[exponent + 1 + DECADE_OFFSET]!) exponent++;
    for (let precision = 6; precision <= 9; precision++) {
      const decimals = precision - 1 - exponent;
      let mantissa: number;
      if (decimals < 0) {
        const scale = POWERS[-decimals]!;
        mantissa = Math.round(magnitude / scale) | 0; // below 10^10 and an int32, whose arithmetic is cheaper
        if (Math.fround(mantissa * scale) !== magnitude) continue;
      } else if (decimals <= 22) {
        const scale = POWERS[decimals]!;
        mantissa = Math.round(magnitude * scale) | 0;
        if (Math.fround(mantissa / scale) !== magnitude) continue;
      } else {
        const scale = POWERS[decimals]!;
        mantissa = Math.round(magnitude * scale) | 0;
        const near = mantissa / scale;
        if (Math.fround(near * (1 + 4e-16)) !== magnitude || Math.fround(near * (1 - 4e-16)) !== magnitude) continue;
      }
      this.decimal(value < 0, mantissa, decimals);
      return true;
    }
    return false;
  }

  /** Writes ±mantissa × 10^-decimals without trailing zeros, in exponent form below 10^-6 as JavaScript does (1.5e-7). */
  private decimal(negative: boolean, mantissa: number, decimals: number): void {
    while (decimals > 0 && mantissa % 10 === 0) {
      mantissa = (mantissa / 10) | 0;
      decimals--;
    }
    const digits = digitCount(mantissa);
    this.reserve(digits + Math.abs(decimals) + 8);
    const buffer = this.buffer;
    let at = this.length;
    if (negative) buffer[at++] = MINUS;
    const exponent = digits - 1 - decimals;
    if (exponent < -6) {
      // d.ddde-N: the digits one place to the right, then the first moved before the point.
      writeDigits(buffer, at + 1, mantissa, digits);
      buffer[at] = buffer[at + 1]!;
      if (digits > 1) buffer[at + 1] = DOT;
      at += digits > 1 ? digits + 1 : 1;
      buffer[at++] = LOWER_E;
      buffer[at++] = MINUS;
      const power = -exponent;
      const powerDigits = digitCount(power);
      writeDigits(buffer, at, power, powerDigits);
      this.length = at + powerDigits;
      return;
    }
    if (decimals >= digits) {
      buffer[at++] = ZERO;
      buffer[at++] = DOT;
      for (let i = digits; i < decimals; i++) buffer[at++] = ZERO;
      writeDigits(buffer, at, mantissa, digits);
      this.length = at + digits;
      return;
    }
    if (decimals <= 0) {
      writeDigits(buffer, at, mantissa, digits);
      at += digits;
      for (let i = decimals; i < 0; i++) buffer[at++] = ZERO;
      this.length = at;
      return;
    }
    // The point among the digits: the integer part, then the `decimals` last digits after it.
    const whole = digits - decimals;
    writeDigits(buffer, at, mantissa, digits);
    buffer.copyWithin(at + whole + 1, at + whole, at + digits);
    buffer[at + whole] = DOT;
    this.length = at + digits + 1;
  }
}

/** Writes the `count` decimal digits of a non-negative int32 from `at`. */
function writeDigits(buffer: Buffer, at: number, value: number, count: number): void {
  let rest = value;
  for (let i = at + count - 1; i >= at; i--) {
    buffer[i] = ZERO + (rest % 10);
    rest = (rest / 10) | 0;
  }
}

/** Decimal digits of a non-negative integer below 10^10. */
function digitCount(value: number): number {
  let digits = 1;
  while (digits < 10 && value >= POWERS[digits]!) digits++;
  return digits;
}

/** `value` as JSON bytes (see JsonBytes). */
export function jsonBytes(value: unknown): Buffer {
  const out = new JsonBytes();
  out.value(value);
  return out.bytes();
}

const scratch = new JsonBytes(64);

/** A number's text as the JSON answers write it (for CSV cells). */
export function numberText(value: number): string {
  scratch.clear();
  scratch.number(value);
  return scratch.bytes().toString("latin1");
}
