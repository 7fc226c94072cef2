/** Plain-text tables and value formatting for terminal output. */

/** Renders rows under headers (upper-cased unless `keepCase`), columns two spaces apart; numeric-looking cells align right. */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], keepCase = false): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.,e+-]*$/.test(r[i] ?? "") || (r[i] ?? "") === ""));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric[i] === true ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(keepCase ? headers : headers.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n");
}

/** Two-column "key  value" lines, indented. */
export function renderPairs(pairs: readonly (readonly [string, string])[], indent = "  "): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${indent}${k.padEnd(width)}  ${v}`.trimEnd()).join("\n");
}

/** A metric or parameter value, short: up to 4 significant decimals, JSON for objects. */
export function formatValue(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "NaN";
    if (Number.isInteger(value)) return String(value);
    return Math.abs(value) >= 1e5 || Math.abs(value) < 1e-4 ? value.toExponential(3) : String(Number(value.toPrecision(4)));
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

/** A duration: "840 ms", "2.41 s", "3 min 05 s". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;
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
