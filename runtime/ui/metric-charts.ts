/**
 * Line charts of metrics with a step history (loss per epoch): which series go in which chart, as
 * data the page script draws with uPlot, plus the figure markup with a data table for readers
 * without the chart.
 */
import type { MetricPoint } from "../tracking/store.ts";
import { formatNumber } from "./format.ts";
import { html, jsonScript, type Html } from "./html.ts";

/** One line. */
export interface ChartSeries {
  label: string;
  steps: number[];
  values: number[];
}

/** One chart. */
export interface ChartSpec {
  id: string;
  title: string;
  xLabel: string;
  series: ChartSeries[];
}

/** Each metric key's points in step order, for the keys with more than one step. */
export function steppedMetrics(history: readonly MetricPoint[]): Map<string, { steps: number[]; values: number[] }> {
  const byKey = new Map<string, MetricPoint[]>();
  for (const point of history) (byKey.get(point.key) ?? byKey.set(point.key, []).get(point.key)!).push(point);
  const stepped = new Map<string, { steps: number[]; values: number[] }>();
  for (const [key, points] of [...byKey].sort(([a], [b]) => a.localeCompare(b))) {
    // The last value logged at a step wins, as in the store's latest metrics.
    const atStep = new Map<number, number>();
    for (const p of [...points].sort((a, b) => a.step - b.step || a.timestamp - b.timestamp))
      atStep.set(p.step, p.value);
    if (atStep.size < 2) continue;
    const steps = [...atStep.keys()].sort((a, b) => a - b);
    stepped.set(key, { steps, values: steps.map((s) => atStep.get(s)!) });
  }
  return stepped;
}

function groupOf(key: string): string {
  const dot = key.lastIndexOf(".");
  return dot === -1 ? "" : key.slice(0, dot);
}

/** One chart per group of stepped metrics (`loss`, `type_loss` together; `history.*` together). */
export function runCharts(history: readonly MetricPoint[]): ChartSpec[] {
  const groups = new Map<string, ChartSeries[]>();
  for (const [key, { steps, values }] of steppedMetrics(history)) {
    const group = groupOf(key);
    (groups.get(group) ?? groups.set(group, []).get(group)!).push({ label: key, steps, values });
  }
  // Top-level metrics (the per-epoch ones TF.js logs) first, then each record's.
  const ordered = [...groups].sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b)));
  return ordered.map(([group, series], i) => ({
    id: `chart-${i}`,
    title: group === "" ? "Metrics per step (epoch)" : `${group}.* per step`,
    xLabel: "step",
    series,
  }));
}

/** Charts that overlay the same stepped metric of several runs, one chart per metric they share. */
export function compareCharts(runs: readonly { label: string; history: readonly MetricPoint[] }[]): ChartSpec[] {
  const perRun = runs.map((run) => ({ label: run.label, stepped: steppedMetrics(run.history) }));
  const shared = [...(perRun[0]?.stepped.keys() ?? [])].filter((key) => perRun.every((r) => r.stepped.has(key)));
  return shared.map((key, i) => ({
    id: `chart-${i}`,
    title: key,
    xLabel: "step",
    series: perRun.map((r) => ({ label: r.label, ...r.stepped.get(key)! })),
  }));
}

/** The figures for `charts` (drawn by the page script) and their data. */
export function chartFigures(charts: readonly ChartSpec[]): Html {
  if (charts.length === 0) return html``;
  const figures = charts.map((chart) => {
    const steps = [...new Set(chart.series.flatMap((s) => s.steps))].sort((a, b) => a - b);
    const rows = steps.map(
      (step) =>
        html`<tr><th scope="row">${step}</th>${chart.series.map((s) => {
          const i = s.steps.indexOf(step);
          return html`<td class="num">${i === -1 ? "—" : formatNumber(s.values[i]!)}</td>`;
        })}</tr>`,
    );
    return html`<figure class="chart-figure">
<figcaption>${chart.title}</figcaption>
<div class="chart" id="${chart.id}" data-chart="${chart.id}" role="img" aria-label="Line chart of ${chart.series.map((s) => s.label).join(", ")} by ${chart.xLabel}"></div>
<details class="chart-data"><summary>Data</summary><div class="table-wrap"><table class="data compact"><thead><tr><th scope="col">${chart.xLabel}</th>${chart.series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div></details>
</figure>`;
  });
  return html`<div class="charts">${figures}</div>${jsonScript("chart-data", charts)}`;
}
