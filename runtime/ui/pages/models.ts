/** The model registry: each model's versions with their aliases, runs, metrics and artifacts, and a form to move an alias. */
import type { ModelSummary, ModelVersion } from "../../registry/registry-store.ts";
import { formatDigest, formatNumber, formatTime, shortId } from "../format.ts";
import { html, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";

/** What the page shows. */
export interface ModelsPageInput {
  models: { summary: ModelSummary; versions: ModelVersion[] }[];
  /** Whether the server has an admin token, without which promotion is refused. */
  promotionEnabled: boolean;
  /** The browser's CSRF token (csrf.ts), sent back with an alias move. */
  csrf: string;
  /** The served version (`train:3`), marked in its table. */
  served: string | undefined;
}

const MAX_METRICS = 5;

function versionRow(v: ModelVersion, served: string | undefined): Html {
  const metrics = Object.entries(v.metrics)
    .filter(([k]) => !k.includes("."))
    .slice(0, MAX_METRICS);
  const isServed = served === `${v.name}:${v.version}`;
  return html`<tr id="${v.name}-${v.version}">
<th scope="row" class="num">${v.version}</th>
<td>${v.aliases.map((a) => html`<span class="badge alias">@${a}</span> `)}${isServed ? html`<span class="badge served">served</span>` : ""}</td>
<td>${formatTime(v.createdAt)}</td>
<td>${v.runId === undefined ? "—" : html`<a href="${UI_BASE}/runs/${v.runId}"><code>${shortId(v.runId)}</code></a>`}</td>
<td class="metrics-cell">${metrics.length === 0 ? html`<span class="muted">—</span>` : html`<ul class="inline-list">${metrics.map(([k, m]) => html`<li><span class="muted">${k}</span> ${formatNumber(m)}</li>`)}</ul>`}</td>
<td>${formatDigest(v.trainingDataDigest)}</td>
<td><ul class="inline-list">${v.artifacts.map((a) => html`<li><span class="muted">${a.dataset}</span> ${formatDigest(a.sha256)}</li>`)}</ul></td>
</tr>`;
}

function promoteForm(name: string, versions: readonly ModelVersion[], enabled: boolean, csrf: string): Html {
  const latest = versions.at(-1)?.version;
  const id = `promote-${name}`;
  return html`<form class="promote" data-model="${name}" data-csrf="${csrf}" aria-labelledby="${id}-title">
<h3 id="${id}-title">Move an alias</h3>
${
  enabled
    ? ""
    : html`<p class="note">Promotion needs the server's admin token: start it with <code>CELLFORGE_ADMIN_TOKEN=…</code> set (the token <code>POST /admin/reload</code> takes). Until then the server refuses it.</p>`
}
<div class="form-row">
  <div class="field"><label for="${id}-version">Version</label>
  <select id="${id}-version" name="version">${[...versions].reverse().map((v) => html`<option value="${v.version}"${v.version === latest ? html` selected` : ""}>${v.version}${v.aliases.length > 0 ? ` (@${v.aliases.join(", @")})` : ""}</option>`)}</select></div>
  <div class="field"><label for="${id}-alias">Alias</label>
  <input id="${id}-alias" name="alias" value="champion" required pattern="[A-Za-z][\\w.\\-]*" spellcheck="false"></div>
  <div class="field"><label for="${id}-token">Admin token</label>
  <input id="${id}-token" name="token" type="password" autocomplete="off" required></div>
  <div class="field"><span class="label-spacer" aria-hidden="true">&nbsp;</span><button type="submit">Promote</button></div>
</div>
<p class="hint">Refused when the version's request schema breaks the alias's current clients.</p>
<p class="result" role="status" aria-live="polite"></p>
</form>`;
}

/** The models page body. */
export function modelsPage(input: ModelsPageInput): Html {
  if (input.models.length === 0) {
    return html`<h1>Models</h1><p class="lead">No model is registered yet: a run of a pipeline with a <code>predict</code> cell registers one (<code>npm start</code> or <code>npx cellforge run</code>).</p>`;
  }
  const cards = input.models.map(
    ({ summary, versions }) => html`<section class="card" aria-labelledby="model-${summary.name}">
<div class="title-row"><h2 id="model-${summary.name}">${summary.name}</h2>
<p class="aliases">${Object.entries(summary.aliases).map(([alias, version]) => html`<a class="badge alias" href="#${summary.name}-${version}">@${alias} → ${version}</a> `)}${
      Object.keys(summary.aliases).length === 0 ? html`<span class="muted">no aliases</span>` : ""
    }</p></div>
<p class="muted">${summary.versions} version${summary.versions === 1 ? "" : "s"}, latest ${summary.latestVersion}, updated ${formatTime(summary.updatedAt)}</p>
<div class="table-wrap"><table class="data versions">
<caption class="visually-hidden">Versions of ${summary.name}, newest first</caption>
<thead><tr><th scope="col" class="num">version</th><th scope="col">aliases</th><th scope="col">registered</th><th scope="col">run</th><th scope="col">metrics</th><th scope="col">training data</th><th scope="col">artifacts (sha256)</th></tr></thead>
<tbody>${[...versions].reverse().map((v) => versionRow(v, input.served))}</tbody>
</table></div>
${promoteForm(summary.name, versions, input.promotionEnabled, input.csrf)}
</section>`,
  );
  return html`<h1>Models</h1><p class="lead">Registered model versions are immutable; aliases such as <code>@champion</code> point at one of them, and <code>cellforge serve NAME@ALIAS</code> serves what the alias points at.</p>${cards}`;
}
