/** A parameter sweep (`cellforge sweep`): its runs ranked by a metric, the metric against each swept parameter (one SVG scatter each), the best run highlighted. */
import type { RunInfo } from "../../tracking/store.ts";
import { formatNumber, formatValue, shortId } from "../format.ts";
import { html, trusted, escapeHtml, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";
import { higherIsBetter } from "../../workers/sweep-plan.ts";
import { statusBadge } from "./runs.ts";

/** What the page shows. */
export interface SweepPageInput {
  id: string;
  runs: readonly RunInfo[];
  /** The parameters the sweep varies. */
  params: readonly string[];
  /** The metric runs are ranked by, and whether higher is better. */
  metric: string | undefined;
  maximize: boolean;
  /** The metrics shown as columns, each a choice to rank by. */
  metrics: readonly string[];
}

const WIDTH = 280;
const HEIGHT = 180;
const PAD = { left: 48, right: 12, top: 12, bottom: 34 };

function numeric(values: readonly unknown[]): values is readonly number[] {
  return values.every((v) => typeof v === "number");
}

/** One scatter: x the parameter's value (numbers on a linear axis, other values as categories), y the metric; the best run's point highlighted. */
function scatter(name: string, metric: string, runs: readonly RunInfo[], best: RunInfo | undefined): Html {
  const points = runs.filter((r) => r.metrics[metric] !== undefined && r.params[name] !== undefined);
  if (points.length === 0) return html``;
  const xs = points.map((r) => r.params[name]);
  const categories = numeric(xs) ? undefined : [...new Set(xs.map((x) => formatValue(x)))];
  const xValue = (r: RunInfo): number =>
    categories === undefined ? (r.params[name] as number) : categories.indexOf(formatValue(r.params[name]));
  const xNumbers = points.map(xValue);
  const ys = points.map((r) => r.metrics[metric]!);
  const span = (lo: number, hi: number): [number, number] => (lo === hi ? [lo - 1, hi + 1] : [lo, hi]);
  const [x0, x1] =
    categories === undefined ? span(Math.min(...xNumbers), Math.max(...xNumbers)) : [-0.5, categories.length - 0.5];
  const [y0, y1] = span(Math.min(...ys), Math.max(...ys));
  const sx = (x: number): number => PAD.left + ((x - x0) / (x1 - x0)) * (WIDTH - PAD.left - PAD.right);
  const sy = (y: number): number => HEIGHT - PAD.bottom - ((y - y0) / (y1 - y0)) * (HEIGHT - PAD.top - PAD.bottom);
  const inset = (x: number): number =>
    categories === undefined
      ? PAD.left + 6 + ((sx(x) - PAD.left) * (WIDTH - PAD.left - PAD.right - 12)) / (WIDTH - PAD.left - PAD.right)
      : sx(x);
  const ticks =
    categories === undefined
      ? [x0, x1].map((x) => [inset(x), formatNumber(x)] as const)
      : categories.map((c, i) => [sx(i), c] as const);
  const dots = points
    .map((r) => {
      const isBest = r === best;
      const title = `${shortId(r.id)}: ${name} ${formatValue(r.params[name])}, ${metric} ${formatNumber(r.metrics[metric]!)}`;
      return `<circle class="${isBest ? "dot best" : "dot"}" cx="${inset(xValue(r)).toFixed(1)}" cy="${sy(r.metrics[metric]!).toFixed(1)}" r="${isBest ? 6 : 4}"><title>${escapeHtml(title)}</title></circle>`;
    })
    .join("");
  const axis =
    `<line class="axis" x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}"/>` +
    `<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}"/>` +
    ticks
      .map(
        ([x, label]) =>
          `<text class="tick" x="${x.toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}" text-anchor="middle">${escapeHtml(label)}</text>`,
      )
      .join("") +
    [y0, y1]
      .map(
        (y) =>
          `<text class="tick" x="${PAD.left - 4}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(formatNumber(y))}</text>`,
      )
      .join("") +
    `<text class="label" x="${(WIDTH + PAD.left) / 2}" y="${HEIGHT - 4}" text-anchor="middle">${escapeHtml(name)}</text>`;
  return html`<figure class="scatter"><svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${metric} against ${name}">${trusted(axis + dots)}</svg><figcaption>${metric} against <code>${name}</code></figcaption></figure>`;
}

/** The sweep page body. */
export function sweepPage(input: SweepPageInput): Html {
  const { metric, maximize } = input;
  const ranked =
    metric === undefined
      ? [...input.runs]
      : [...input.runs].sort((a, b) => {
          const x = a.metrics[metric];
          const y = b.metrics[metric];
          if (x === undefined || y === undefined) return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
          return maximize ? y - x : x - y;
        });
  const best =
    metric === undefined ? undefined : ranked.find((r) => r.status === "FINISHED" && r.metrics[metric] !== undefined);
  const { metrics } = input;
  const choose = (m: string, max: boolean): string =>
    `?${new URLSearchParams({ metric: m, order: max ? "max" : "min" }).toString()}`;
  const rows = ranked.map(
    (run, i) => html`<tr${run === best ? html` class="best"` : ""}>
<td class="num">${i + 1}</td>
<td><a class="run-link" href="${UI_BASE}/runs/${run.id}"><code>${shortId(run.id)}</code></a>${run === best ? html` <span class="badge alias">best</span>` : ""}</td>
<td>${statusBadge(run.status)}</td>
${input.params.map((p) => html`<td class="num">${formatValue(run.params[p])}</td>`)}
<td class="num">${metric === undefined || run.metrics[metric] === undefined ? "—" : formatNumber(run.metrics[metric])}</td>
</tr>`,
  );
  return html`<p class="breadcrumb"><a href="${UI_BASE}">Runs</a> / sweep</p>
<h1>Sweep <code>${input.id}</code></h1>
<p class="lead">${input.runs.length} run${input.runs.length === 1 ? "" : "s"} of pipeline <code>${input.runs[0]?.pipeline ?? "?"}</code>, varying ${input.params.map((p, i) => html`${i === 0 ? "" : ", "}<code>${p}</code>`)}.${
    best === undefined || metric === undefined
      ? ""
      : html` Best: <a href="${UI_BASE}/runs/${best.id}"><code>${shortId(best.id)}</code></a>, ${metric} ${formatNumber(best.metrics[metric]!)} (${maximize ? "highest" : "lowest"}).`
  }</p>
${
  metrics.length === 0
    ? ""
    : html`<nav class="tabs" aria-label="Rank by metric"><ul>${metrics.map(
        (m) =>
          html`<li><a href="${choose(m, m === metric ? !maximize : higherIsBetter(m))}"${m === metric ? html` aria-current="page"` : ""}>${m}${m === metric ? (maximize ? " ▼" : " ▲") : ""}</a></li>`,
      )}</ul></nav>`
}
${metric === undefined ? "" : html`<div class="scatters">${input.params.map((p) => scatter(p, metric, input.runs, best))}</div>`}
<div class="table-wrap"><table class="data sweep">
<caption class="visually-hidden">Runs of sweep ${input.id}${metric === undefined ? "" : `, ranked by ${metric}`}</caption>
<thead><tr><th scope="col" class="num">#</th><th scope="col">Run</th><th scope="col">Status</th>${input.params.map((p) => html`<th scope="col" class="num"><span class="col-kind">param</span> ${p}</th>`)}<th scope="col" class="num">${metric ?? "metric"}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}
