/** Runs side by side: parameters, metrics (with the change from the first run), datasets and artifacts, differences marked. */
import type { RunDetails } from "../../tracking/store.ts";
import { formatDigest, formatDuration, formatNumber, formatTime, formatValue, shortId } from "../format.ts";
import { html, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";
import { chartFigures, compareCharts } from "../metric-charts.ts";
import { statusBadge } from "./runs.ts";

/** One row of the comparison: a label and each run's value. */
interface Row {
  label: string;
  cells: (Html | string)[];
  /** Comparable forms of the values: the row differs when they are not all equal. */
  keys: string[];
  /** For metrics: the change of each run from the first. */
  deltas?: (number | undefined)[];
}

function differs(row: Row): boolean {
  return new Set(row.keys).size > 1;
}

function signed(value: number): string {
  return `${value > 0 ? "+" : value < 0 ? "−" : "±"}${formatNumber(Math.abs(value))}`;
}

function table(id: string, title: string, runs: readonly RunDetails[], rows: readonly Row[], withDelta: boolean): Html {
  if (rows.length === 0) return html``;
  const changed = rows.filter(differs).length;
  const body = rows.map((row) => {
    const diff = differs(row);
    return html`<tr class="${diff ? "differs" : "same"}"><th scope="row">${diff ? html`<span class="diff-mark" title="differs">≠</span><span class="visually-hidden">differs: </span>` : ""}${row.label}</th>${row.cells.map(
      (cell, i) => {
        const delta = withDelta && i > 0 ? row.deltas?.[i] : undefined;
        return html`<td class="num">${cell}${delta === undefined || delta === 0 ? "" : html` <span class="delta">${signed(delta)}</span>`}</td>`;
      },
    )}</tr>`;
  });
  return html`<section class="card" aria-labelledby="${id}"><h2 id="${id}">${title} <span class="count">${changed} of ${rows.length} differ</span></h2>
<div class="table-wrap"><table class="data compare"><thead><tr><th scope="col"><span class="visually-hidden">${title}</span></th>${runs.map((r) => html`<th scope="col" class="num"><a href="${UI_BASE}/runs/${r.id}"><code>${shortId(r.id)}</code></a></th>`)}</tr></thead><tbody>${body}</tbody></table></div></section>`;
}

function valueRows(runs: readonly RunDetails[], pick: (run: RunDetails) => Record<string, unknown>): Row[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
  return keys.map((key) => {
    const values = runs.map((r) => pick(r)[key]);
    const first = values[0];
    return {
      label: key,
      cells: values.map((v) => formatValue(v)),
      keys: values.map((v) => JSON.stringify(v) ?? "undefined"),
      deltas: values.map((v) => (typeof v === "number" && typeof first === "number" ? v - first : undefined)),
    };
  });
}

/** The comparison page body for two or more runs. */
export function comparePage(runs: readonly RunDetails[]): Html {
  const summary: Row[] = [
    { label: "status", cells: runs.map((r) => statusBadge(r.status)), keys: runs.map((r) => r.status) },
    { label: "pipeline", cells: runs.map((r) => r.pipeline), keys: runs.map((r) => r.pipeline) },
    { label: "started", cells: runs.map((r) => formatTime(r.startTime)), keys: runs.map(() => "") },
    {
      label: "duration",
      cells: runs.map((r) => (r.endTime === undefined ? "—" : formatDuration(r.endTime - r.startTime))),
      keys: runs.map(() => ""),
    },
    {
      label: "git commit",
      cells: runs.map((r) =>
        r.gitCommit === undefined
          ? "—"
          : html`<code>${r.gitCommit.slice(0, 10)}</code>${r.gitDirty === true ? "*" : ""}`,
      ),
      keys: runs.map((r) => `${r.gitCommit}${r.gitDirty === true ? "*" : ""}`),
    },
  ];
  const digests = (pick: (run: RunDetails) => Record<string, string>): Row[] => {
    const keys = [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
    return keys.map((key) => ({
      label: key,
      cells: runs.map((r) => formatDigest(pick(r)[key])),
      keys: runs.map((r) => pick(r)[key] ?? ""),
    }));
  };
  const charts = compareCharts(runs.map((r) => ({ label: shortId(r.id), history: r.metricHistory })));
  return html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="${UI_BASE}">Runs</a> <span aria-hidden="true">›</span> <span aria-current="page">Compare</span></nav>
<div class="title-row"><h1>Compare ${runs.length} runs</h1>
<label class="toggle"><input type="checkbox" id="only-differences"> Show only differences</label></div>
<p class="lead">Rows marked <span class="diff-mark">≠</span> differ; metric changes are relative to the first run, <a href="${UI_BASE}/runs/${runs[0]!.id}"><code>${shortId(runs[0]!.id)}</code></a>.</p>
${table("cmp-summary", "Run", runs, summary, false)}
${table(
  "cmp-params",
  "Parameters",
  runs,
  valueRows(runs, (r) => r.params),
  true,
)}
${table(
  "cmp-metrics",
  "Metrics",
  runs,
  valueRows(runs, (r) => r.metrics),
  true,
)}
${charts.length === 0 ? "" : html`<section class="card" aria-labelledby="cmp-curves"><h2 id="cmp-curves">Curves</h2>${chartFigures(charts)}</section>`}
${table(
  "cmp-inputs",
  "Datasets read (sha256)",
  runs,
  digests((r) => Object.fromEntries(r.inputs.map((i) => [i.name, i.digest]))),
  false,
)}
${table(
  "cmp-artifacts",
  "Artifacts (sha256)",
  runs,
  digests((r) => Object.fromEntries(r.artifacts.map((a) => [a.path, a.sha256]))),
  false,
)}`;
}
