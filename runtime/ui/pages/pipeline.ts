/** A pipeline's DAG as kedro-viz draws it, with a table of its nodes for readers who do not see the drawing. */
import type { Pipeline } from "../../pipeline/definition.ts";
import { isParameterInput } from "../../pipeline/graph.ts";
import { html, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";
import { pipelineGraph, pipelineSvg, type CatalogTypes } from "../pipeline-graph.ts";

/** What the page shows. */
export interface PipelinePageInput {
  names: string[];
  pipeline: Pipeline | undefined;
  catalog: CatalogTypes;
  parameters: boolean;
  /** Why the pipeline could not be loaded. */
  error: string | undefined;
}

function link(name: string, parameters: boolean): string {
  return `${UI_BASE}/pipeline?name=${encodeURIComponent(name)}${parameters ? "&parameters=1" : ""}`;
}

/** The pipeline page body. */
export function pipelinePage(input: PipelinePageInput): Html {
  const { pipeline } = input;
  const tabs =
    input.names.length > 1
      ? html`<nav class="tabs" aria-label="Pipelines"><ul>${input.names.map((n) => html`<li><a href="${link(n, input.parameters)}"${n === pipeline?.name ? html` aria-current="page"` : ""}>${n}</a></li>`)}</ul></nav>`
      : "";
  if (input.names.length === 0) {
    return html`<h1>Pipeline</h1><p class="lead">No pipeline yet: tag a notebook's cells and run <code>npx extract --all</code> to create pipelines/&lt;name&gt;/.</p>`;
  }
  if (pipeline === undefined)
    return html`<h1>Pipeline</h1>${tabs}<p class="error" role="alert">${input.error ?? "No such pipeline."}</p>`;
  const graph = pipelineGraph(pipeline, input.catalog, { parameters: input.parameters });
  const rows = pipeline.nodes.map(
    (node) =>
      html`<tr><th scope="row">${node.name}</th><td>${node.source ?? "—"}</td><td>${node.inputs.filter((i) => !isParameterInput(i)).join(", ")}</td><td>${node.inputs
        .filter(isParameterInput)
        .map((i) => i.slice("params:".length))
        .join(", ")}</td><td>${node.outputs.join(", ")}</td></tr>`,
  );
  return html`<h1>Pipeline <code>${pipeline.name}</code></h1>
${tabs}
<p class="lead">Extracted from <code>${pipeline.source}</code>: ${pipeline.nodes.length} nodes, run top to bottom. Hover or focus a box for its details.</p>
<div class="dag-toolbar">
  <ul class="legend" aria-label="Legend">
    <li><span class="swatch node" aria-hidden="true"></span> node</li>
    <li><span class="swatch dataset" aria-hidden="true"></span> catalog dataset</li>
    <li><span class="swatch memory" aria-hidden="true"></span> in memory</li>
    <li><span class="swatch metric" aria-hidden="true"></span> metric</li>
    ${input.parameters ? html`<li><span class="swatch parameter" aria-hidden="true"></span> parameter</li>` : ""}
  </ul>
  <a class="button secondary" href="${link(pipeline.name, !input.parameters)}">${input.parameters ? "Hide parameters" : "Show parameters"}</a>
</div>
<div class="dag-wrap">${pipelineSvg(pipeline.name, graph)}</div>
<section class="card" aria-labelledby="nodes-title"><h2 id="nodes-title">Nodes</h2>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">node</th><th scope="col">source</th><th scope="col">reads</th><th scope="col">parameters</th><th scope="col">writes</th></tr></thead><tbody>${rows}</tbody></table></div>
</section>`;
}
