/**
 * Confusion matrices found among a run's JSON artifacts, drawn as a heat map: an HTML table whose
 * cells are coloured by the share of their row (the actual class), so rare classes read as well as
 * common ones, with the counts written in the cells.
 */
import { html, type Html } from "./html.ts";

/** A square count table: `counts[i][j]` examples of class `labels[i]` predicted as `labels[j]`. */
export interface ConfusionMatrix {
  labels: string[];
  counts: number[][];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isCount = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;

/**
 * Reads a confusion matrix from JSON: `{actual: {predicted: count}}` (what the train notebook saves)
 * or `{labels: [...], matrix: [[...]]}`. Anything else is not one.
 */
export function asConfusionMatrix(value: unknown): ConfusionMatrix | undefined {
  if (!isRecord(value)) return undefined;
  if (Array.isArray(value["labels"]) && Array.isArray(value["matrix"])) {
    const labels = value["labels"].map(String);
    const rows = value["matrix"] as unknown[];
    if (labels.length < 2 || rows.length !== labels.length) return undefined;
    if (!rows.every((row) => Array.isArray(row) && row.length === labels.length && row.every(isCount)))
      return undefined;
    return { labels, counts: rows as number[][] };
  }
  const labels = Object.keys(value);
  if (labels.length < 2) return undefined;
  const rows = Object.values(value);
  if (
    !rows.every(
      (row) => isRecord(row) && Object.values(row).every(isCount) && Object.keys(row).every((k) => labels.includes(k)),
    )
  )
    return undefined;
  return { labels, counts: (rows as Record<string, number>[]).map((row) => labels.map((label) => row[label] ?? 0)) };
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** The heat map as an accessible table, with each class's recall in the last column. */
export function confusionMatrixTable(matrix: ConfusionMatrix, caption: string): Html {
  const { labels, counts } = matrix;
  const totals = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const correct = counts.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const all = totals.reduce((a, b) => a + b, 0);
  const header = labels.map((label) => html`<th scope="col" class="predicted"><span>${label}</span></th>`);
  const rows = counts.map((row, i) => {
    const total = totals[i]!;
    const cells = row.map((count, j) => {
      const share = total === 0 ? 0 : count / total;
      // Lightness from 98% (none) to 30% (the whole row): a blue scale that stays readable in print.
      const lightness = 98 - share * 68;
      const style = count === 0 ? "" : `background:hsl(214 72% ${lightness.toFixed(1)}%)`;
      const cls = [i === j ? "diagonal" : "", count === 0 ? "zero" : "", share > 0.45 ? "dark" : ""]
        .filter((c) => c !== "")
        .join(" ");
      const label = `actual ${labels[i]!}, predicted ${labels[j]!}: ${count} of ${total}${total === 0 ? "" : ` (${percent(share)})`}`;
      return html`<td class="${cls}" style="${style}" title="${label}" aria-label="${label}">${count}</td>`;
    });
    const recall = total === 0 ? "—" : percent((row[i] ?? 0) / total);
    return html`<tr><th scope="row">${labels[i]}</th>${cells}<td class="total">${total}</td><td class="recall">${recall}</td></tr>`;
  });
  return html`<div class="matrix-wrap"><table class="matrix">
<caption>${caption} — ${correct} of ${all} on the diagonal (${all === 0 ? "—" : percent(correct / all)}); rows: actual, columns: predicted, colour: share of the row</caption>
<thead><tr><th scope="col" class="corner"><span class="visually-hidden">actual \\ predicted</span></th>${header}<th scope="col" class="predicted"><span>total</span></th><th scope="col" class="predicted"><span>recall</span></th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}
