/** The runs table: newest first, sortable by any column, filtered with the `cellforge runs list --filter` syntax. */
import type { ModelVersion } from "../../registry/registry-store.ts";
import type { RunInfo } from "../../tracking/store.ts";
import { formatDuration, formatNumber, formatTime, formatValue, shortId } from "../format.ts";
import { html, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";

/** How the table is sorted: a column key (started, duration, status, pipeline, metrics.NAME, params.NAME) and a direction. */
export interface RunSort {
  key: string;
  order: "asc" | "desc";
}

/** What the page shows. */
export interface RunsPageInput {
  runs: RunInfo[];
  /** How many runs the store has before filtering. */
  total: number;
  filter: string;
  /** Why the filter was refused, if it was. */
  filterError: string | undefined;
  sort: RunSort;
  versionsByRun: ReadonlyMap<string, ModelVersion[]>;
}

/** The longest a run's table row can show: undotted metric names (dotted ones are flattened records). */
const MAX_METRIC_COLUMNS = 8;

function sortValue(run: RunInfo, key: string): number | string | undefined {
  if (key === "started") return run.startTime;
  if (key === "duration") return run.endTime === undefined ? undefined : run.endTime - run.startTime;
  if (key === "status") return run.status;
  if (key === "pipeline") return run.pipeline;
  if (key === "id") return run.id;
  if (key.startsWith("metrics.")) return run.metrics[key.slice(8)];
  if (key.startsWith("params.")) {
    const value = run.params[key.slice(7)];
    return typeof value === "number" || typeof value === "string" ? value : value === undefined ? undefined : JSON.stringify(value);
  }
  return undefined;
}

/** Sorts runs by `sort`; runs without a value for the key go last either way. */
export function sortRuns(runs: readonly RunInfo[], sort: RunSort): RunInfo[] {
  const direction = sort.order === "asc" ? 1 : -1;
  return [...runs].sort((a, b) => {
    const x = sortValue(a, sort.key);
    const y = sortValue(b, sort.key);
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? 1 : -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * direction || b.startTime - a.startTime;
    return String(x).localeCompare(String(y)) * direction || b.startTime - a.startTime;
  });
}

/** Parameters whose values differ between the runs: the ones worth a column. */
function varyingParams(runs: readonly RunInfo[]): string[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  return names.filter((name) => new Set(runs.map((r) => JSON.stringify(r.params[name]))).size > 1);
}

function metricColumns(runs: readonly RunInfo[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))].filter((name) => !name.includes(".")).sort().slice(0, MAX_METRIC_COLUMNS);
}

/** A status as a coloured badge. */
export function statusBadge(status: string): Html {
  return html`<span class="badge status-${status.toLowerCase()}">${status}</span>`;
}

/** The model versions a run registered, as links. */
export function versionLinks(versions: readonly ModelVersion[] | undefined): Html {
  if (versions === undefined || versions.length === 0) return html`<span class="muted">—</span>`;
  return html`${versions.map(
    (v) => html`<a href="${UI_BASE}/models#${v.name}-${v.version}">${v.name}:${v.version}</a>${v.aliases.map((a) => html` <span class="badge alias">@${a}</span>`)} `,
  )}`;
}

function query(input: RunsPageInput, sort: RunSort): string {
  const params = new URLSearchParams();
  if (input.filter !== "") params.set("filter", input.filter);
  params.set("sort", sort.key);
  params.set("order", sort.order);
  return `?${params.toString()}`;
}

function header(input: RunsPageInput, key: string, label: Html | string, numeric = false): Html {
  const active = input.sort.key === key;
  // A first click sorts numbers and times high to low (the best metric, the newest run first), text A to Z.
  const next: RunSort = { key, order: active ? (input.sort.order === "asc" ? "desc" : "asc") : numeric ? "desc" : "asc" };
  const ariaSort = active ? (input.sort.order === "asc" ? "ascending" : "descending") : undefined;
  const arrow = active ? (input.sort.order === "asc" ? "▲" : "▼") : "";
  return html`<th scope="col"${numeric ? html` class="num"` : ""}${ariaSort === undefined ? "" : html` aria-sort="${ariaSort}"`}><a href="${query(input, next)}">${label}<span class="sort-arrow" aria-hidden="true">${arrow}</span></a></th>`;
}

/** The runs page body. */
export function runsPage(input: RunsPageInput): Html {
  const params = varyingParams(input.runs);
  const metrics = metricColumns(input.runs);
  const rows = input.runs.map(
    (run) => html`<tr>
<td class="select"><input type="checkbox" name="run" value="${run.id}" form="compare-form" aria-label="Select run ${shortId(run.id)} to compare"></td>
<td><a class="run-link" href="${UI_BASE}/runs/${run.id}"><code>${shortId(run.id)}</code></a></td>
<td>${statusBadge(run.status)}</td>
<td>${run.pipeline}</td>
<td class="num">${formatTime(run.startTime)}</td>
<td class="num">${run.endTime === undefined ? (run.status === "RUNNING" ? "running…" : "—") : formatDuration(run.endTime - run.startTime)}</td>
${params.map((p) => html`<td class="num">${formatValue(run.params[p])}</td>`)}
${metrics.map((m) => {
  const value = run.metrics[m];
  return html`<td class="num">${value === undefined ? "—" : formatNumber(value)}</td>`;
})}
<td>${versionLinks(input.versionsByRun.get(run.id))}</td>
</tr>`,
  );
  const shown = input.runs.length;
  const summary =
    input.total === 0
      ? html`No runs yet: run <code>npm start</code> or <code>npx cellforge run</code> and reload.`
      : html`${shown} of ${input.total} run${input.total === 1 ? "" : "s"}${input.filter === "" ? "" : html` match <code>${input.filter}</code>`}. Select two to compare them.`;
  return html`<h1>Runs</h1>
<form class="filter" method="get" action="${UI_BASE}" role="search">
  <label for="filter">Filter runs</label>
  <div class="filter-row">
    <input id="filter" name="filter" type="search" value="${input.filter}" placeholder="metrics.typeAccuracy > 0.3 and params.epochs = 40" aria-describedby="filter-help${input.filterError === undefined ? "" : " filter-error"}" spellcheck="false">
    <input type="hidden" name="sort" value="${input.sort.key}"><input type="hidden" name="order" value="${input.sort.order}">
    <button type="submit">Apply</button>${input.filter === "" ? "" : html` <a class="button secondary" href="${UI_BASE}">Clear</a>`}
  </div>
  <p id="filter-help" class="hint">Clauses <code>FIELD OP VALUE</code> joined by <code>and</code>: <code>metrics.NAME</code>, <code>params.NAME</code>, <code>tags.NAME</code>, <code>status</code>, <code>pipeline</code>; operators <code>= != &lt; &lt;= &gt; &gt;=</code>.</p>
  ${input.filterError === undefined ? "" : html`<p id="filter-error" class="error" role="alert">${input.filterError}</p>`}
</form>
<p class="lead" aria-live="polite">${summary}</p>
<form id="compare-form" method="get" action="${UI_BASE}/compare"></form>
${
  shown === 0
    ? ""
    : html`<div class="table-wrap"><table class="runs data">
<caption class="visually-hidden">Runs, sorted by ${input.sort.key} ${input.sort.order === "asc" ? "ascending" : "descending"}</caption>
<thead><tr>
<th scope="col" class="select"><span class="visually-hidden">Compare</span></th>
${header(input, "id", "Run")}${header(input, "status", "Status")}${header(input, "pipeline", "Pipeline")}${header(input, "started", "Started", true)}${header(input, "duration", "Duration", true)}
${params.map((p) => header(input, `params.${p}`, html`<span class="col-kind">param</span> ${p}`, true))}
${metrics.map((m) => header(input, `metrics.${m}`, m, true))}
<th scope="col">Model</th>
</tr></thead>
<tbody>${rows}</tbody>
</table></div>
<p class="actions"><button type="submit" form="compare-form" id="compare-button">Compare selected runs</button></p>`
}`;
}
