/** Writes tables as RFC 4180 CSV (danfo's toCSV does not quote fields that contain commas or quotes). */

function text(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isNaN(value) ? "" : String(value);
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

function field(value: unknown): string {
  const cell = text(value);
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** CSV text (header line, then one line per row, each ending with a newline); empty cells for null, undefined and NaN. */
export function formatCsv(columns: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const lines = [columns.map(field).join(",")];
  for (const row of rows) lines.push(row.map(field).join(","));
  return `${lines.join("\n")}\n`;
}
