/**
 * A pipeline drawn as kedro-viz draws it: nodes and datasets as boxes, edges from each dataset to
 * the nodes that read it and from each node to what it writes, laid out in layers (dag-layout.ts)
 * and rendered as SVG on the server.
 */
import type { Pipeline } from "../pipeline/definition.ts";
import { isParameterInput, parameterName } from "../pipeline/graph.ts";
import { layoutDag, type LayoutEdge, type PlacedVertex } from "./dag-layout.ts";
import { escapeHtml, trusted, type Html } from "./html.ts";

/** What a box stands for. */
export type GraphVertexKind = "node" | "dataset" | "parameter";

/** A box of the drawing. */
export interface GraphVertex {
  id: string;
  kind: GraphVertexKind;
  label: string;
  /** Second line: the dataset's catalog type ("csv", "memory", "metric"), or nothing. */
  caption: string | undefined;
  /** Tooltip lines. */
  details: string[];
  /** A dataset that only lives in memory during a run. */
  memory: boolean;
  /** A dataset logged as a run metric. */
  metric: boolean;
}

/** The boxes and edges of a pipeline. */
export interface PipelineGraphModel {
  vertices: GraphVertex[];
  edges: LayoutEdge[];
}

/** What the graph needs to know about the catalog: each listed dataset's type and path. */
export type CatalogTypes = Readonly<Record<string, { type: string; path?: string | undefined }>>;

/** Boxes and edges of `pipeline`, in notebook order; parameters as boxes of their own when `parameters`. */
export function pipelineGraph(
  pipeline: Pipeline,
  catalog: CatalogTypes,
  options: { parameters: boolean },
): PipelineGraphModel {
  const vertices = new Map<string, GraphVertex>();
  const edges: LayoutEdge[] = [];
  const metrics = new Set(pipeline.nodes.flatMap((n) => n.metrics ?? []));
  const dataset = (name: string): string => {
    const id = `dataset:${name}`;
    if (!vertices.has(id)) {
      const entry = catalog[name];
      const metric = metrics.has(name);
      vertices.set(id, {
        id,
        kind: "dataset",
        label: name,
        caption: entry?.type ?? (metric ? "metric" : "memory"),
        details: [
          `dataset ${name}`,
          entry === undefined
            ? metric
              ? "a run metric, kept in memory"
              : "in memory during a run"
            : `${entry.type}${entry.path === undefined ? "" : ` · ${entry.path}`}`,
        ],
        memory: entry === undefined,
        metric,
      });
    }
    return id;
  };
  for (const node of pipeline.nodes) {
    const params = node.inputs.filter(isParameterInput).map(parameterName);
    const inputs: string[] = [];
    for (const input of node.inputs) {
      if (!isParameterInput(input)) inputs.push(dataset(input));
      else if (options.parameters) {
        const id = `parameter:${parameterName(input)}`;
        if (!vertices.has(id)) {
          const value = pipeline.parameters.defaults[parameterName(input)];
          vertices.set(id, {
            id,
            kind: "parameter",
            label: input,
            caption: undefined,
            details: [input, `default ${JSON.stringify(value)}`],
            memory: false,
            metric: false,
          });
        }
        inputs.push(id);
      }
    }
    const id = `node:${node.name}`;
    vertices.set(id, {
      id,
      kind: "node",
      label: node.name,
      caption: undefined,
      details: [
        `node ${node.name}`,
        ...(node.source === undefined ? [] : [node.source]),
        ...(params.length === 0 ? [] : [`parameters: ${params.join(", ")}`]),
        ...(node.tags !== undefined && node.tags.length > 0 ? [`tags: ${node.tags.join(", ")}`] : []),
        `code sha256 ${node.codeHash.slice(0, 16)}`,
      ],
      memory: false,
      metric: false,
    });
    for (const input of inputs) edges.push({ from: input, to: id });
    for (const output of node.outputs) edges.push({ from: id, to: dataset(output) });
  }
  return { vertices: [...vertices.values()], edges };
}

const CHAR_WIDTH = 7.4;
const SMALL_CHAR_WIDTH = 6.2;

function boxSize(vertex: GraphVertex): { width: number; height: number } {
  const text = Math.max(
    vertex.label.length * (vertex.kind === "parameter" ? SMALL_CHAR_WIDTH : CHAR_WIDTH),
    (vertex.caption ?? "").length * SMALL_CHAR_WIDTH,
  );
  if (vertex.kind === "node") return { width: Math.ceil(text + 46), height: 36 };
  if (vertex.kind === "parameter") return { width: Math.ceil(text + 22), height: 24 };
  return { width: Math.ceil(text + 28), height: 42 };
}

function pathThrough(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (first === undefined) return "";
  let d = `M${first.x.toFixed(1)},${first.y.toFixed(1)}`;
  let previous = first;
  for (const point of rest) {
    const middle = (previous.y + point.y) / 2;
    d += ` C${previous.x.toFixed(1)},${middle.toFixed(1)} ${point.x.toFixed(1)},${middle.toFixed(1)} ${point.x.toFixed(1)},${point.y.toFixed(1)}`;
    previous = point;
  }
  return d;
}

function box(vertex: GraphVertex, placed: PlacedVertex): string {
  const { x, y, width, height } = placed;
  const cx = x + width / 2;
  const classes = ["box", vertex.kind, ...(vertex.memory ? ["memory"] : []), ...(vertex.metric ? ["metric"] : [])].join(
    " ",
  );
  const title = `<title>${escapeHtml(vertex.details.join("\n"))}</title>`;
  const radius = vertex.kind === "node" ? 8 : vertex.kind === "parameter" ? height / 2 : 4;
  const shape = `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${width}" height="${height}" rx="${radius}"/>`;
  let text: string;
  if (vertex.kind === "node") {
    text = `<text class="icon" x="${(x + 14).toFixed(1)}" y="${(y + height / 2 + 4.5).toFixed(1)}" aria-hidden="true">ƒ</text><text x="${(cx + 8).toFixed(1)}" y="${(y + height / 2 + 4.5).toFixed(1)}" text-anchor="middle">${escapeHtml(vertex.label)}</text>`;
  } else if (vertex.caption !== undefined) {
    text = `<text x="${cx.toFixed(1)}" y="${(y + 18).toFixed(1)}" text-anchor="middle">${escapeHtml(vertex.label)}</text><text class="caption" x="${cx.toFixed(1)}" y="${(y + 33).toFixed(1)}" text-anchor="middle">${escapeHtml(vertex.caption)}</text>`;
  } else {
    text = `<text x="${cx.toFixed(1)}" y="${(y + height / 2 + 4).toFixed(1)}" text-anchor="middle">${escapeHtml(vertex.label)}</text>`;
  }
  return `<g class="${classes}" data-id="${escapeHtml(vertex.id)}" tabindex="0" role="listitem" aria-label="${escapeHtml(vertex.details.join(", "))}">${title}${shape}${text}</g>`;
}

/** The graph as an SVG element (accessible: a titled group listing its boxes, each focusable and labelled with its details). */
export function pipelineSvg(name: string, graph: PipelineGraphModel): Html {
  const layout = layoutDag(
    graph.vertices.map((v) => ({ id: v.id, ...boxSize(v) })),
    graph.edges,
  );
  const byId = new Map(graph.vertices.map((v) => [v.id, v]));
  const edges = layout.edges
    .map((e) => {
      const kind = byId.get(e.from)?.kind === "parameter" ? " parameter" : "";
      return `<path class="edge${kind}" d="${pathThrough(e.points)}" marker-end="url(#arrow)" data-from="${escapeHtml(e.from)}" data-to="${escapeHtml(e.to)}"/>`;
    })
    .join("");
  const boxes = layout.vertices.map((placed) => box(byId.get(placed.id)!, placed)).join("");
  const nodes = graph.vertices.filter((v) => v.kind === "node").length;
  const datasets = graph.vertices.filter((v) => v.kind === "dataset").length;
  const width = Math.ceil(layout.width);
  const height = Math.ceil(layout.height);
  return trusted(
    `<svg class="dag" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-labelledby="dag-title-${escapeHtml(name)}">` +
      `<title id="dag-title-${escapeHtml(name)}">Pipeline ${escapeHtml(name)}: ${nodes} nodes and ${datasets} datasets, top to bottom in run order</title>` +
      `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,1 L9,5 L0,9 z" class="arrowhead"/></marker></defs>` +
      `<g class="edges">${edges}</g><g class="boxes" role="list">${boxes}</g></svg>`,
  );
}
