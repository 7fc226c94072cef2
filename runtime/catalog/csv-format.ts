/** Writes tables as RFC 4180 CSV (danfo's toCSV does not quote fields that contain commas or quotes). */

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isNaN(value) ? "" : String(value);
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

function field(value: unknown, delimiter: string): string {
  const cell = text(value);
  return /["\r\n]/.test(cell) || cell.includes(delimiter) || cell !== cell.trim()
    ? `"${cell.replace(/"/g, '""')}"`
    : cell;
}

/** CSV text (header line, then one line per row, each ending with a newline); empty cells for null, undefined and NaN. */
export function formatCsv(columns: readonly string[], rows: Iterable<readonly unknown[]>, delimiter = ","): string {
  const lines = [columns.map((c) => field(c, delimiter)).join(delimiter)];
  for (const row of rows) lines.push(row.map((v) => field(v, delimiter)).join(delimiter));
  return `${lines.join("\n")}\n`;
}
