/** The runs table: newest first, sortable by any column, filtered with the `cellforge runs list --filter` syntax. */
import type { ModelVersion } from "../../registry/registry-store.ts";
import type { RunInfo } from "../../tracking/store.ts";
import { formatDuration, formatNumber, formatTime, formatValue, shortId } from "../format.ts";
import { html, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";
import { SWEEP_TAG } from "../../workers/sweep-plan.ts";
import { metricColumns } from "../../pipeline/metrics.ts";

/** How the table is sorted: a column key (started, duration, status, pipeline, metrics.NAME, params.NAME) and a direction. */
export interface RunSort {
  key: string;
  order: "asc" | "desc";
}

/** What the page shows. */
export interface RunsPageInput {
  /** The runs the filter kept, of every pipeline, sorted. */
  runs: RunInfo[];
  /** How many runs the store has before filtering. */
  total: number;
  filter: string;
  /** Why the filter was refused, if it was. */
  filterError: string | undefined;
  sort: RunSort;
  versionsByRun: ReadonlyMap<string, ModelVersion[]>;
  /** The pipeline whose runs are shown (one view per pipeline); undefined shows every pipeline's runs. */
  pipeline: string | undefined;
  /** Every pipeline that has runs, with how many. */
  pipelines: readonly { name: string; runs: number }[];
  /** The shown pipeline's metrics in the order its notebook declares them (the key ones first). */
  metricOrder?: readonly string[];
}

/** Metric columns shown until the user chooses: the first ones (the key metrics). */
const DEFAULT_METRIC_COLUMNS = 8;

function sortValue(run: RunInfo, key: string): number | string | undefined {
  if (key === "started") return run.startTime;
  if (key === "duration") return run.endTime === undefined ? undefined : run.endTime - run.startTime;
  if (key === "status") return run.status;
  if (key === "pipeline") return run.pipeline;
  if (key === "id") return run.id;
  if (key.startsWith("metrics.")) return run.metrics[key.slice(8)];
  if (key.startsWith("params.")) {
    const value = run.params[key.slice(7)];
    return typeof value === "number" || typeof value === "string"
      ? value
      : value === undefined
        ? undefined
        : JSON.stringify(value);
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

/** The parameters of these runs, and which of them differ between the runs (the ones shown until the user chooses). */
function paramColumns(runs: readonly RunInfo[]): { all: string[]; varying: Set<string> } {
  const all = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  return {
    all,
    varying: new Set(all.filter((name) => new Set(runs.map((r) => JSON.stringify(r.params[name]))).size > 1)),
  };
}

/** A status as a coloured badge. */
export function statusBadge(status: string): Html {
  return html`<span class="badge status-${status.toLowerCase()}">${status}</span>`;
}

/** A link to the sweep page of a run that belongs to a sweep (`cellforge sweep`). */
function sweepLink(run: RunInfo): Html | string {
  const sweep = run.tags[SWEEP_TAG];
  return sweep === undefined
    ? ""
    : html`<a class="sweep-link" href="${UI_BASE}/sweeps/${encodeURIComponent(sweep)}">sweep</a>`;
}

/** The model versions a run registered, as links. */
export function versionLinks(versions: readonly ModelVersion[] | undefined): Html {
  if (versions === undefined || versions.length === 0) return html`<span class="muted">—</span>`;
  return html`${versions.map(
    (v) =>
      html`<a href="${UI_BASE}/models#${v.name}-${v.version}">${v.name}:${v.version}</a>${v.aliases.map((a) => html` <span class="badge alias">@${a}</span>`)} `,
  )}`;
}

function query(input: RunsPageInput, sort: RunSort): string {
  const params = new URLSearchParams();
  params.set("pipeline", input.pipeline ?? "");
  if (input.filter !== "") params.set("filter", input.filter);
  params.set("sort", sort.key);
  params.set("order", sort.order);
  return `?${params.toString()}`;
}

function header(input: RunsPageInput, key: string, label: Html | string, numeric = false, hidden = false): Html {
  const active = input.sort.key === key;
  // A first click sorts numbers and times high to low (the best metric, the newest run first), text A to Z.
  const next: RunSort = {
    key,
    order: active ? (input.sort.order === "asc" ? "desc" : "asc") : numeric ? "desc" : "asc",
  };
  const ariaSort = active ? (input.sort.order === "asc" ? "ascending" : "descending") : undefined;
  const arrow = active ? (input.sort.order === "asc" ? "▲" : "▼") : "";
  return html`<th scope="col" data-col="${key}"${numeric ? html` class="num"` : ""}${hidden ? html` hidden` : ""}${ariaSort === undefined ? "" : html` aria-sort="${ariaSort}"`}><a href="${query(input, next)}">${label}<span class="sort-arrow" aria-hidden="true">${arrow}</span></a></th>`;
}

/** One link per pipeline (and one for all of them): each pipeline has its own parameters and metrics. */
function pipelineTabs(input: RunsPageInput): Html {
  if (input.pipelines.length < 2 && input.pipeline !== undefined) return html``;
  const link = (name: string | undefined, label: string, count: number): Html => {
    const params = new URLSearchParams({ pipeline: name ?? "" });
    if (input.filter !== "") params.set("filter", input.filter);
    return html`<li><a href="?${params.toString()}"${name === input.pipeline ? html` aria-current="page"` : ""}>${label} <span class="count">${count}</span></a></li>`;
  };
  const all = input.pipelines.reduce((sum, p) => sum + p.runs, 0);
  return html`<nav class="tabs" aria-label="Pipelines"><ul>${input.pipelines.map((p) => link(p.name, p.name, p.runs))}${link(undefined, "All pipelines", all)}</ul></nav>`;
}

/** The column chooser: shown by the page script, which hides and shows the columns and remembers the choice in this browser. */
function columnChooser(
  input: RunsPageInput,
  metrics: readonly string[],
  params: readonly string[],
  visible: (column: string) => boolean,
): Html {
  const box = (column: string, label: string): Html =>
    html`<label class="toggle"><input type="checkbox" value="${column}"${visible(column) ? html` checked` : ""}> ${label}</label>`;
  return html`<details class="column-chooser" data-storage-key="cellforge.runs.columns.${input.pipeline ?? "*"}" hidden>
<summary>Columns</summary>
${metrics.length === 0 ? "" : html`<fieldset><legend>Metrics</legend>${metrics.map((m) => box(`metrics.${m}`, m))}</fieldset>`}
${params.length === 0 ? "" : html`<fieldset><legend>Parameters</legend>${params.map((p) => box(`params.${p}`, p))}</fieldset>`}
<p><button type="button" class="secondary" data-reset>Default columns</button></p>
</details>`;
}

/** The runs page body. */
export function runsPage(input: RunsPageInput): Html {
  const runs = input.pipeline === undefined ? input.runs : input.runs.filter((r) => r.pipeline === input.pipeline);
  // Parameters differ from one pipeline to the next: only a single pipeline's view has parameter columns.
  const params = input.pipeline === undefined ? { all: [], varying: new Set<string>() } : paramColumns(runs);
  const metrics = metricColumns(
    runs.flatMap((r) => Object.keys(r.metrics)),
    input.metricOrder ?? [],
  );
  const defaultMetrics = new Set(metrics.slice(0, DEFAULT_METRIC_COLUMNS));
  const visible = (column: string): boolean =>
    column.startsWith("metrics.") ? defaultMetrics.has(column.slice(8)) : params.varying.has(column.slice(7));
  const showPipeline = input.pipeline === undefined;
  const rows = runs.map(
    (run) => html`<tr>
<td class="select"><input type="checkbox" name="run" value="${run.id}" form="compare-form" aria-label="Select run ${shortId(run.id)} to compare"></td>
<td><a class="run-link" href="${UI_BASE}/runs/${run.id}"><code>${shortId(run.id)}</code></a></td>
<td>${statusBadge(run.status)}${sweepLink(run)}</td>
${showPipeline ? html`<td>${run.pipeline}</td>` : ""}
<td class="num">${formatTime(run.startTime)}</td>
<td class="num">${run.endTime === undefined ? (run.status === "RUNNING" ? "running…" : "—") : formatDuration(run.endTime - run.startTime)}</td>
${metrics.map((m) => {
  const value = run.metrics[m];
  return html`<td class="num" data-col="metrics.${m}"${visible(`metrics.${m}`) ? "" : html` hidden`}>${value === undefined ? "—" : formatNumber(value)}</td>`;
})}
${params.all.map((p) => {
  const value = run.params[p];
  const list = Array.isArray(value);
  return html`<td class="num${list ? " wrap" : ""}" data-col="params.${p}"${visible(`params.${p}`) ? "" : html` hidden`}>${list ? html`<div class="wrap">${formatValue(value)}</div>` : formatValue(value)}</td>`;
})}
<td>${versionLinks(input.versionsByRun.get(run.id))}</td>
</tr>`,
  );
  const shown = runs.length;
  const inView =
    input.pipeline === undefined ? input.total : (input.pipelines.find((p) => p.name === input.pipeline)?.runs ?? 0);
  const of =
    input.pipeline === undefined || input.pipelines.length < 2 ? "" : html` of pipeline <code>${input.pipeline}</code>`;
  const summary =
    input.total === 0
      ? html`No runs yet: run <code>npm start</code> or <code>npx cellforge run</code> and reload.`
      : html`${shown} of ${inView} run${inView === 1 ? "" : "s"}${of}${input.filter === "" ? "" : html` match <code>${input.filter}</code>`}. Select two to compare them.${
          input.pipeline === undefined && input.pipelines.length > 1
            ? html` Choose a pipeline to see its parameters.`
            : ""
        }`;
  return html`<h1>Runs</h1>
${pipelineTabs(input)}
<form class="filter" method="get" action="${UI_BASE}" role="search">
  <label for="filter">Filter runs</label>
  <div class="filter-row">
    <input id="filter" name="filter" type="search" value="${input.filter}" placeholder="metrics.typeAccuracy > 0.3 and params.epochs = 40" aria-describedby="filter-help${input.filterError === undefined ? "" : " filter-error"}" spellcheck="false">
    <input type="hidden" name="pipeline" value="${input.pipeline ?? ""}"><input type="hidden" name="sort" value="${input.sort.key}"><input type="hidden" name="order" value="${input.sort.order}">
    <button type="submit">Apply</button>${input.filter === "" ? "" : html` <a class="button secondary" href="${UI_BASE}?pipeline=${encodeURIComponent(input.pipeline ?? "")}">Clear</a>`}
  </div>
  <p id="filter-help" class="hint">Clauses <code>FIELD OP VALUE</code> joined by <code>and</code>: <code>metrics.NAME</code>, <code>params.NAME</code>, <code>tags.NAME</code>, <code>status</code>, <code>pipeline</code>; operators <code>= != &lt; &lt;= &gt; &gt;=</code>.</p>
  ${input.filterError === undefined ? "" : html`<p id="filter-error" class="error" role="alert">${input.filterError}</p>`}
</form>
<p class="lead" aria-live="polite">${summary}</p>
<form id="compare-form" method="get" action="${UI_BASE}/compare"></form>
${
  shown === 0
    ? ""
    : html`${columnChooser(input, metrics, params.all, visible)}<div class="table-wrap"><table class="runs data">
<caption class="visually-hidden">Runs${input.pipeline === undefined ? "" : ` of pipeline ${input.pipeline}`}, sorted by ${input.sort.key} ${input.sort.order === "asc" ? "ascending" : "descending"}</caption>
<thead><tr>
<th scope="col" class="select"><span class="visually-hidden">Compare</span></th>
${header(input, "id", "Run")}${header(input, "status", "Status")}${showPipeline ? header(input, "pipeline", "Pipeline") : ""}${header(input, "started", "Started", true)}${header(input, "duration", "Duration", true)}
${metrics.map((m) => header(input, `metrics.${m}`, m, true, !visible(`metrics.${m}`)))}
${params.all.map((p) => header(input, `params.${p}`, html`<span class="col-kind">param</span> ${p}`, true, !visible(`params.${p}`)))}
<th scope="col">Model</th>
</tr></thead>
<tbody>${rows}</tbody>
</table></div>
<p class="actions"><button type="submit" form="compare-form" id="compare-button">Compare selected runs</button></p>`
}`;
}
