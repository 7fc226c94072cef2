/** Plain-text tables and value formatting for terminal output. */
import stringWidth from "string-width";

/** `text` padded with spaces to `width` terminal columns (wide characters count two, combining marks none). */
function pad(text: string, width: number, side: "start" | "end"): string {
  const spaces = " ".repeat(Math.max(0, width - stringWidth(text)));
  return side === "start" ? spaces + text : text + spaces;
}

/** Renders rows under headers (upper-cased unless `keepCase`), columns two spaces apart; numeric-looking cells align right. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  keepCase = false,
): string {
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ""))));
  const numeric = headers.map(
    (_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.,e+-]*$/.test(r[i] ?? "") || (r[i] ?? "") === ""),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i]!, numeric[i] === true ? "start" : "end"))
      .join("  ")
      .trimEnd();
  return [line(keepCase ? headers : headers.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n");
}

/** Two-column "key  value" lines, indented. */
export function renderPairs(pairs: readonly (readonly [string, string])[], indent = "  "): string {
  const width = Math.max(0, ...pairs.map(([k]) => stringWidth(k)));
  return pairs.map(([k, v]) => `${indent}${pad(k, width, "end")}  ${v}`.trimEnd()).join("\n");
}

/** A metric or parameter value, short: up to 4 significant decimals, JSON for objects. */
export function formatValue(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 1e5 || Math.abs(value) < 1e-4
      ? value.toExponential(3)
      : String(Number(value.toPrecision(4)));
  }
  if (typeof value === "string") return value;
  return JSON.stringify(value) ?? "";
}

/** Local date and time, to the second. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A duration: "840 ms", "2.41 s", "3 min 05 s", "2 h 03 min"; rounded first, so 59,999 ms is "1 min 00 s", never "60.00 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "";
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const seconds = (ms / 1000).toFixed(2);
  if (Number(seconds) < 60) return `${seconds} s`;
  const total = Math.round(ms / 1000);
  if (total < 3600) return `${Math.floor(total / 60)} min ${String(total % 60).padStart(2, "0")} s`;
  const minutes = Math.round(total / 60);
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A byte count: "902 B", "12.3 kB", "4.1 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** `text` cut to `width` characters with an ellipsis. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}
