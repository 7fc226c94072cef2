// A unified line diff (as `diff -u` prints it), for `extract --check` to show how the committed modules drift.
import { structuredPatch } from "diff";

function crlf(text: string): boolean {
  return text.includes("\r\n");
}

/**
 * The unified diff turning `before` into `after`, with `context` lines around changes; "" when they are equal.
 * A missing final newline shows as `\ No newline at end of file`; texts that differ only in line endings say so
 * instead of listing every line.
 */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return "";
  const header = [`--- ${fromName}`, `+++ ${toName}`];
  if (before.replace(/\r\n/g, "\n") === after.replace(/\r\n/g, "\n")) {
    const ending = (text: string) => (crlf(text) ? "CRLF" : "LF");
    return `${[...header, `only the line endings differ: ${ending(before)} in ${fromName}, ${ending(after)} in ${toName}`].join("\n")}\n`;
  }
  const patch = structuredPatch(fromName, toName, before, after, undefined, undefined, { context });
  const out = [...header];
  // An empty side starts at the line before, as diff -u numbers it (`@@ -0,0 +1,2 @@`).
  const start = (line: number, count: number) => (count === 0 ? line - 1 : line);
  for (const hunk of patch.hunks) {
    out.push(
      `@@ -${start(hunk.oldStart, hunk.oldLines)},${hunk.oldLines} +${start(hunk.newStart, hunk.newLines)},${hunk.newLines} @@`,
      ...hunk.lines,
    );
  }
  return `${out.join("\n")}\n`;
}
