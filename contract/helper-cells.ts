// The message extract and lint both give for an untagged cell that extracted cells read but that cannot be taken as
// shared code (an implicit `export` cell); one wording, built here, so the two tools always agree.
import { cellLabel, type CellRef } from "./cell-label.ts";

/** Why a helper cell cannot be shared code, found at its first statement that stops it. */
export type HelperBlocker =
  | { reason: "side-effect"; line: number }
  | { reason: "mutable"; line: number; name: string }
  | { reason: "reads-data"; line: number; name: string; ownerRole: string; owner: CellRef };

function snippet(source: string, line: number): string {
  const text = (source.split(/\r?\n/)[line - 1] ?? "").trim();
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}

/**
 * The one message for a helper cell that cannot be shared: which names extracted cells read from it, the statement
 * that stops it, and the fix. `readers` are the reading cells, `source` the helper cell's text.
 */
export function helperCellMessage(
  cell: CellRef,
  source: string,
  names: readonly string[],
  readers: readonly CellRef[],
  blocker: HelperBlocker,
): string {
  const what = `${list(names.map((n) => `\`${n}\``))}, which ${list(readers.map((r) => cellLabel(r)))} read${readers.length === 1 ? "s" : ""}`;
  const head = `untagged ${cellLabel(cell)} declares ${what}, but it cannot be taken as shared code (an \`export\` cell): line ${blocker.line} (\`${snippet(source, blocker.line)}\`)`;
  if (blocker.reason === "side-effect") {
    return `${head} runs code when the cell runs; move that statement into another cell (the rest is then shared code), or tag the cell \`export\` to lift it into shared.ts as it is.`;
  }
  if (blocker.reason === "mutable") {
    return `${head} declares \`${blocker.name}\`, which is mutable state; declare it with \`const\` if it never changes, or move it into a node cell.`;
  }
  return `${head} reads \`${blocker.name}\` from the \`${blocker.ownerRole}\` ${cellLabel(blocker.owner)}, and shared code cannot read pipeline data; move that statement into a node cell (or tag the cell \`node\`).`;
}
