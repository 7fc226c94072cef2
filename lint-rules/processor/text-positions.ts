// Converts between offsets and ESLint's 1-based line/column positions, counting line breaks as ESLint does.

/** ESLint's line breaks: \r\n, \r, \n, U+2028 and U+2029. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g;

/** The offsets where each line of `text` starts. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (const match of text.matchAll(LINE_BREAK)) starts.push(match.index + match[0].length);
  return starts;
}

/** The offset of a 1-based line and column; clamped to the text. */
export function offsetAt(starts: readonly number[], length: number, line: number, column: number): number {
  const lineStart = starts[Math.min(Math.max(line, 1), starts.length) - 1] ?? 0;
  return Math.min(lineStart + Math.max(column, 1) - 1, length);
}

/** The 1-based line and column of an offset. */
export function positionAt(starts: readonly number[], offset: number): { line: number; column: number } {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
}
