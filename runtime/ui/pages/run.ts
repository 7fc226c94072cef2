/** One run: what it ran with, what it measured (with loss curves), what it read and wrote, its confusion matrix, its logs. */
import type { ModelVersion } from "../../registry/registry-store.ts";
import { splitCodeHashes } from "../../tracking/code-hashes.ts";
import type { RunDetails } from "../../tracking/store.ts";
import { confusionMatrixTable } from "../confusion-matrix.ts";
import {
  formatBytes,
  formatDigest,
  formatDuration,
  formatNumber,
  formatTime,
  formatValue,
  shortId,
} from "../format.ts";
import { html, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";
import { chartFigures, runCharts } from "../metric-charts.ts";
import type { RunMatrix } from "../project.ts";
import { statusBadge, versionLinks } from "./runs.ts";

/** What the page shows. */
export interface RunPageInput {
  run: RunDetails;
  matrices: RunMatrix[];
  versions: ModelVersion[] | undefined;
  /** Other runs to offer for comparison (id and start time), newest first. */
  others: { id: string; startTime: number }[];
}

function pairs(rows: [string | Html, Html | string][], kind: "summary" | "keys" = "summary"): Html {
  return html`<dl class="pairs${kind === "keys" ? " keys" : ""}">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}

function section(id: string, title: string, body: Html, count?: number): Html {
  return html`<section class="card" aria-labelledby="${id}"><h2 id="${id}">${title}${count === undefined ? "" : html` <span class="count">${count}</span>`}</h2>${body}</section>`;
}

function matrixSection(matrices: readonly RunMatrix[]): Html {
  if (matrices.length === 0) return html``;
  const parts = matrices.map((m) =>
    m.matrix !== undefined
      ? confusionMatrixTable(m.matrix, `${m.artifact.dataset ?? m.artifact.path}`)
      : html`<p class="note">The confusion matrix <code>${m.artifact.path}</code> was rewritten by a later run (its sha256 no longer matches this run's ${formatDigest(m.artifact.sha256)}), so it cannot be shown for this run. Mark the dataset <code>versioned: true</code> in conf/base/catalog.yml to keep every run's copy.</p>`,
  );
  return section("confusion", "Confusion matrix", html`${parts}`);
}

/** The run page body. */
export function runPage(input: RunPageInput): Html {
  const { run } = input;
  const charts = runCharts(run.metricHistory);
  const stepped = new Set(charts.flatMap((c) => c.series.map((s) => s.label)));
  const metricRows = Object.entries(run.metrics).map(
    ([key, value]) =>
      html`<tr><th scope="row">${key}</th><td class="num">${formatNumber(value)}</td><td>${stepped.has(key) ? html`<span class="muted">last of ${charts.flatMap((c) => c.series).find((s) => s.label === key)?.steps.length ?? 0} steps</span>` : ""}</td></tr>`,
  );
  const paramRows = Object.entries(run.params).map(
    ([key, value]) => html`<tr><th scope="row">${key}</th><td class="num">${formatValue(value)}</td></tr>`,
  );
  const { codeHashes, otherTags: tagPairs } = splitCodeHashes(run.tags);
  const nodeCode = Object.entries(codeHashes ?? {}).map(
    ([node, hash]) => html`<tr><th scope="row">${node}</th><td><code class="digest full">${hash}</code></td></tr>`,
  );
  const inputs = run.inputs.map(
    (i) =>
      html`<tr><th scope="row">${i.name}</th><td>${i.path === undefined ? "—" : html`<code>${i.path}</code>`}</td><td class="num">${i.rows ?? "—"}</td><td><code class="digest full">${i.digest}</code></td></tr>`,
  );
  const artifacts = run.artifacts.map(
    (a) =>
      html`<tr><td>${a.dataset ?? "—"}</td><td><code>${a.path}</code></td><td class="num">${formatBytes(a.size)}</td><td><code class="digest full">${a.sha256}</code></td></tr>`,
  );
  const logs = run.logs.map(
    (l) =>
      html`<li class="log-${l.level}">${formatTime(l.timestamp)} <strong>${l.node ?? ""}</strong> ${l.message}</li>`,
  );
  const compareOptions = input.others.map(
    (o) =>
      html`<option value="${o.id}">${shortId(o.id)} · ${new Date(o.startTime).toISOString().slice(0, 16).replace("T", " ")}</option>`,
  );

  return html`<nav class="breadcrumb" aria-label="Breadcrumb"><a href="${UI_BASE}">Runs</a> <span aria-hidden="true">›</span> <span aria-current="page">${shortId(run.id)}</span></nav>
<div class="title-row">
  <h1>Run <code>${shortId(run.id)}</code> ${statusBadge(run.status)}</h1>
  ${
    compareOptions.length === 0
      ? ""
      : html`<form class="inline" method="get" action="${UI_BASE}/compare"><input type="hidden" name="run" value="${run.id}"><label for="compare-with">Compare with</label> <select id="compare-with" name="run">${compareOptions}</select> <button type="submit">Compare</button></form>`
  }
</div>
${run.error === undefined ? "" : html`<p class="error" role="alert"><strong>Failed:</strong> ${run.error}</p>`}
<section class="card summary" aria-label="Summary">
${pairs([
  ["run id", html`<code>${run.id}</code>`],
  ["pipeline", html`<a href="${UI_BASE}/pipeline?name=${encodeURIComponent(run.pipeline)}">${run.pipeline}</a>`],
  ["experiment", run.experiment],
  ["started", formatTime(run.startTime)],
  [
    "duration",
    run.endTime === undefined
      ? run.status === "RUNNING"
        ? "running…"
        : "—"
      : formatDuration(run.endTime - run.startTime),
  ],
  [
    "git commit",
    run.gitCommit === undefined
      ? "—"
      : html`<code>${run.gitCommit.slice(0, 12)}</code>${run.gitDirty === true ? html` <span class="badge warn">uncommitted changes</span>` : ""}`,
  ],
  ["model", versionLinks(input.versions)],
])}
</section>
<div class="grid two">
${section("metrics", "Metrics", metricRows.length === 0 ? html`<p class="muted">No metrics.</p>` : html`<table class="data"><thead><tr><th scope="col">metric</th><th scope="col" class="num">value</th><th scope="col"><span class="visually-hidden">history</span></th></tr></thead><tbody>${metricRows}</tbody></table>`, metricRows.length)}
${section("params", "Parameters", paramRows.length === 0 ? html`<p class="muted">No parameters.</p>` : html`<table class="data"><tbody>${paramRows}</tbody></table>`, paramRows.length)}
</div>
${charts.length === 0 ? "" : section("curves", "Loss curves", chartFigures(charts))}
${matrixSection(input.matrices)}
${section("inputs", "Datasets read (digests)", inputs.length === 0 ? html`<p class="muted">None recorded.</p>` : html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">dataset</th><th scope="col">path</th><th scope="col" class="num">rows</th><th scope="col">sha256</th></tr></thead><tbody>${inputs}</tbody></table></div>`, inputs.length)}
${section("artifacts", "Artifacts", artifacts.length === 0 ? html`<p class="muted">None recorded.</p>` : html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">dataset</th><th scope="col">path</th><th scope="col" class="num">size</th><th scope="col">sha256</th></tr></thead><tbody>${artifacts}</tbody></table></div>`, artifacts.length)}
${nodeCode.length === 0 ? "" : section("node-code", "Node code (hashes)", html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">node</th><th scope="col">sha256 of its code</th></tr></thead><tbody>${nodeCode}</tbody></table></div>`, nodeCode.length)}
${tagPairs.length === 0 ? "" : section("tags", "Tags", pairs(tagPairs, "keys"))}
${logs.length === 0 ? "" : section("logs", "Logs", html`<ul class="logs">${logs}</ul>`, logs.length)}`;
}
