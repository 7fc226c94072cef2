/** "Try it": a form generated from the served model's request schema that calls POST /predict and shows the answer. */
import type { ModelVersion } from "../../registry/registry-store.ts";
import { html, jsonScript, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";
import type { SampleRecord } from "../sample-record.ts";
import { schemaFormFields } from "../schema-form.ts";

/** What the page shows. */
export interface TryPageInput {
  version: ModelVersion | undefined;
  sample: SampleRecord | undefined;
  /** Names of data rows the form can be filled from. */
  labels: string[];
}

/** The try-it page body. */
export function tryPage(input: TryPageInput): Html {
  const { version, sample } = input;
  if (version === undefined) {
    return html`<h1>Try it</h1><p class="lead">This server serves no model. Register one (<code>npm start</code> or <code>npx cellforge run</code>), then start <code>npx cellforge ui</code> again.</p>`;
  }
  const description =
    typeof version.inputSchema["description"] === "string" ? version.inputSchema["description"] : undefined;
  return html`<h1>Try <code>${version.name}:${version.version}</code></h1>
<p class="lead">${description ?? "One request record."} The form follows the model's request schema; <strong>Predict</strong> sends it to <code>POST /predict</code>.</p>
${
  input.labels.length === 0
    ? ""
    : html`<form class="fill card" id="fill-form" action="${UI_BASE}/api/samples" method="get">
<label for="fill-name">Fill from the data set</label>
<div class="filter-row"><input id="fill-name" name="name" list="sample-names" value="${sample?.label ?? ""}" autocomplete="off" spellcheck="false" aria-describedby="fill-help">
<datalist id="sample-names">${input.labels.map((l) => html`<option value="${l}"></option>`)}</datalist>
<button type="submit" class="secondary">Fill</button></div>
<p class="hint" id="fill-help">A row of ${sample?.dataset ?? "the data"}${sample === undefined ? "" : html` (now: <strong id="fill-current">${sample.label}</strong>)`}, shaped by the request schema.</p>
</form>`
}
<div class="try-grid">
<form class="card predict-form" id="predict-form" novalidate>
<h2>Request</h2>
<div class="fields">${schemaFormFields(version.inputSchema, sample?.record ?? {})}</div>
<p class="actions"><button type="submit" id="predict-button">Predict</button></p>
<p class="error" id="predict-error" role="alert" hidden></p>
</form>
<section class="card result" aria-labelledby="result-title">
<h2 id="result-title">Answer</h2>
<div id="prediction" aria-live="polite"><p class="muted">Submit the form to see the model's answer.</p></div>
<details><summary>As curl</summary><pre class="code" id="curl"></pre></details>
<details><summary>Raw JSON</summary><pre class="code" id="raw-json"></pre></details>
</section>
</div>
${jsonScript("output-schema", version.outputSchema)}`;
}
