/** How the web UI writes numbers, times, durations, sizes and digests. */
import { html, type Html } from "./html.ts";

/** A metric or parameter value: 4 significant digits for fractions, integers as they are. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** Any recorded value (parameters may be strings, arrays or records); lists get a space after each comma, so that they wrap. */
export function formatValue(value: unknown): string {
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  if (value === undefined) return "—";
  if (Array.isArray(value))
    return `[${value.map((v: unknown) => (typeof v === "string" ? JSON.stringify(v) : formatValue(v))).join(", ")}]`;
  return JSON.stringify(value);
}

/** A moment as `<time>`: readable UTC text, ISO in `datetime` (the page script shows it in local time). */
export function formatTime(ms: number | undefined): Html {
  if (ms === undefined) return html`—`;
  const iso = new Date(ms).toISOString();
  return html`<time datetime="${iso}">${iso.slice(0, 19).replace("T", " ")} UTC</time>`;
}

/** A duration: 850 ms, 12.3 s, 4 min 05 s, 1 h 02 min. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** A size in bytes: 512 B, 12.4 KiB, 3.1 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** A sha256 shortened for tables, the whole digest in a tooltip and for copying. */
export function formatDigest(digest: string | undefined): Html {
  if (digest === undefined) return html`—`;
  return html`<code class="digest" title="sha256 ${digest}">${digest.slice(0, 12)}</code>`;
}

/** The short form of a run id, as `cellforge runs` shows it. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}
