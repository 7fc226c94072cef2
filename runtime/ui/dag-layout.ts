/**
 * Layered drawing of a directed acyclic graph, top to bottom, as kedro-viz lays out pipelines
 * (Sugiyama's method): layers by topological order, edges that skip layers broken into bends,
 * order within layers by barycentre sweeps (fewest crossings kept), then x positions pulled towards
 * neighbours without overlapping.
 */

/** A box to place. */
export interface LayoutVertex {
  id: string;
  width: number;
  height: number;
}

/** An edge from one box to another. */
export interface LayoutEdge {
  from: string;
  to: string;
}

/** A placed box: x and y are its top-left corner. */
export interface PlacedVertex extends LayoutVertex {
  x: number;
  y: number;
  layer: number;
}

/** An edge as points from the bottom of its source, down through each layer it crosses, to the top of its target. */
export interface RoutedEdge extends LayoutEdge {
  points: { x: number; y: number }[];
}

/** The drawing. */
export interface Layout {
  vertices: PlacedVertex[];
  edges: RoutedEdge[];
  width: number;
  height: number;
}

/** Spacing of the drawing, in pixels. */
export interface LayoutSpacing {
  /** Vertical space between layers. */
  layerGap: number;
  /** Horizontal space between boxes of a layer. */
  vertexGap: number;
  margin: number;
}

const DEFAULT_SPACING: LayoutSpacing = { layerGap: 44, vertexGap: 22, margin: 16 };
/** Width a bend (a long edge crossing a layer) takes in its layer. */
const BEND_WIDTH = 6;

/** A graph with a cycle cannot be layered. */
export class CyclicGraphError extends Error {
  readonly code = "CYCLIC_GRAPH";
  constructor(ids: readonly string[]) {
    super(`The graph has a cycle through ${ids.join(", ")}; only a directed acyclic graph can be drawn in layers.`);
    this.name = "CyclicGraphError";
  }
}

interface Item {
  id: string;
  width: number;
  height: number;
  bend: boolean;
  layer: number;
  x: number;
}

/** Vertices in topological order, ties kept in input order; throws on a cycle. */
function topologicalOrder(vertices: readonly LayoutVertex[], edges: readonly LayoutEdge[]): string[] {
  const indegree = new Map(vertices.map((v) => [v.id, 0]));
  const out = new Map<string, string[]>(vertices.map((v) => [v.id, []]));
  for (const e of edges) {
    indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
    out.get(e.from)?.push(e.to);
  }
  const position = new Map(vertices.map((v, i) => [v.id, i]));
  const ready = vertices.filter((v) => indegree.get(v.id) === 0).map((v) => v.id);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    order.push(id);
    for (const next of out.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length < vertices.length)
    throw new CyclicGraphError(vertices.filter((v) => !order.includes(v.id)).map((v) => v.id));
  return order;
}

/** Layer of each vertex: longest path from a source; a source sits just above its first consumer. */
function assignLayers(order: readonly string[], edges: readonly LayoutEdge[]): Map<string, number> {
  const layer = new Map<string, number>();
  const preds = new Map<string, string[]>();
  const succs = new Map<string, string[]>();
  for (const e of edges) {
    (preds.get(e.to) ?? preds.set(e.to, []).get(e.to)!).push(e.from);
    (succs.get(e.from) ?? succs.set(e.from, []).get(e.from)!).push(e.to);
  }
  for (const id of order) layer.set(id, Math.max(0, ...(preds.get(id) ?? []).map((p) => layer.get(p)! + 1)));
  for (const id of order) {
    const next = succs.get(id) ?? [];
    if ((preds.get(id) ?? []).length === 0 && next.length > 0)
      layer.set(id, Math.max(0, Math.min(...next.map((s) => layer.get(s)!)) - 1));
  }
  return layer;
}

function crossings(upper: readonly Item[], lower: readonly Item[], links: ReadonlyMap<string, string[]>): number {
  const at = new Map(lower.map((item, i) => [item.id, i]));
  const pairs: [number, number][] = [];
  upper.forEach((item, i) => {
    for (const to of links.get(item.id) ?? []) if (at.has(to)) pairs.push([i, at.get(to)!]);
  });
  let count = 0;
  for (let a = 0; a < pairs.length; a++) {
    for (let b = a + 1; b < pairs.length; b++) {
      const [u1, l1] = pairs[a]!;
      const [u2, l2] = pairs[b]!;
      if ((u1 - u2) * (l1 - l2) < 0) count++;
    }
  }
  return count;
}

function totalCrossings(layers: readonly Item[][], down: ReadonlyMap<string, string[]>): number {
  let sum = 0;
  for (let i = 0; i + 1 < layers.length; i++) sum += crossings(layers[i]!, layers[i + 1]!, down);
  return sum;
}

/** Reorders `layer` by the mean position of each item's neighbours in `fixed`; items without neighbours keep their place. */
function sortByBarycentre(layer: Item[], fixed: readonly Item[], neighbours: ReadonlyMap<string, string[]>): Item[] {
  const at = new Map(fixed.map((item, i) => [item.id, i]));
  const keyed = layer.map((item, i) => {
    const positions = (neighbours.get(item.id) ?? []).map((n) => at.get(n)).filter((p): p is number => p !== undefined);
    return { item, key: positions.length === 0 ? i : positions.reduce((a, b) => a + b, 0) / positions.length, i };
  });
  return keyed.sort((a, b) => a.key - b.key || a.i - b.i).map((k) => k.item);
}

/** Places `layer`'s items (in order, centres in `x`) as close to `desired` as their widths and gap allow. */
function placeLayer(layer: Item[], desired: readonly number[], gap: number): void {
  const n = layer.length;
  if (n === 0) return;
  const separation = (i: number): number => (layer[i]!.width + layer[i + 1]!.width) / 2 + gap;
  // Two feasible placements, packed from the left and from the right; their mean is feasible too and keeps the layer centred on its neighbours.
  const fromLeft = [...desired];
  for (let i = 1; i < n; i++) fromLeft[i] = Math.max(fromLeft[i]!, fromLeft[i - 1]! + separation(i - 1));
  const fromRight = [...desired];
  for (let i = n - 2; i >= 0; i--) fromRight[i] = Math.min(fromRight[i]!, fromRight[i + 1]! - separation(i));
  layer.forEach((item, i) => {
    item.x = (fromLeft[i]! + fromRight[i]!) / 2;
  });
}

/** Lays out `vertices` and `edges` top to bottom; throws CyclicGraphError when the graph has a cycle. */
export function layoutDag(
  vertices: readonly LayoutVertex[],
  edges: readonly LayoutEdge[],
  spacing: Partial<LayoutSpacing> = {},
): Layout {
  const { layerGap, vertexGap, margin } = { ...DEFAULT_SPACING, ...spacing };
  const known = new Set(vertices.map((v) => v.id));
  const kept = edges.filter((e) => known.has(e.from) && known.has(e.to) && e.from !== e.to);
  const order = topologicalOrder(vertices, kept);
  const layerOf = assignLayers(order, kept);

  // Items: the vertices plus one bend per layer a long edge crosses.
  const items = new Map<string, Item>(
    vertices.map((v) => [v.id, { ...v, bend: false, layer: layerOf.get(v.id)!, x: 0 }]),
  );
  const down = new Map<string, string[]>();
  const up = new Map<string, string[]>();
  const link = (from: string, to: string): void => {
    (down.get(from) ?? down.set(from, []).get(from)!).push(to);
    (up.get(to) ?? up.set(to, []).get(to)!).push(from);
  };
  const chains = kept.map((edge, e) => {
    const chain = [edge.from];
    for (let layer = items.get(edge.from)!.layer + 1; layer < items.get(edge.to)!.layer; layer++) {
      const id = `\0bend ${e} ${layer}`;
      items.set(id, { id, width: BEND_WIDTH, height: 0, bend: true, layer, x: 0 });
      chain.push(id);
    }
    chain.push(edge.to);
    for (let i = 0; i + 1 < chain.length; i++) link(chain[i]!, chain[i + 1]!);
    return { edge, chain };
  });

  const depth = Math.max(0, ...[...items.values()].map((i) => i.layer)) + 1;
  let layers: Item[][] = Array.from({ length: depth }, () => []);
  // Initial order: vertices in topological order (the notebook's order for a pipeline), bends after them.
  for (const id of order) layers[items.get(id)!.layer]!.push(items.get(id)!);
  for (const item of items.values()) if (item.bend) layers[item.layer]!.push(item);

  let best = layers.map((l) => [...l]);
  let fewest = totalCrossings(best, down);
  for (let sweep = 0; sweep < 12 && fewest > 0; sweep++) {
    if (sweep % 2 === 0) for (let i = 1; i < depth; i++) layers[i] = sortByBarycentre(layers[i]!, layers[i - 1]!, up);
    else for (let i = depth - 2; i >= 0; i--) layers[i] = sortByBarycentre(layers[i]!, layers[i + 1]!, down);
    const count = totalCrossings(layers, down);
    if (count < fewest) {
      fewest = count;
      best = layers.map((l) => [...l]);
    }
  }
  layers = best;

  // x: packed and centred first, then pulled towards the neighbours above and below, alternately.
  for (const layer of layers) {
    const width = layer.reduce((sum, item) => sum + item.width, 0) + vertexGap * Math.max(0, layer.length - 1);
    let left = -width / 2;
    for (const item of layer) {
      item.x = left + item.width / 2;
      left += item.width + vertexGap;
    }
  }
  const mean = (ids: readonly string[]): number | undefined =>
    ids.length === 0 ? undefined : ids.reduce((sum, id) => sum + items.get(id)!.x, 0) / ids.length;
  for (let pass = 0; pass < 8; pass++) {
    const downward = pass % 2 === 0;
    const sequence = downward ? layers.slice(1) : layers.slice(0, -1).reverse();
    for (const layer of sequence) {
      const desired = layer.map((item) => mean((downward ? up : down).get(item.id) ?? []) ?? item.x);
      placeLayer(layer, desired, vertexGap);
    }
  }

  // Rows: each layer as tall as its tallest box; boxes centred vertically in their row.
  const rowHeight = layers.map((layer) => Math.max(0, ...layer.map((item) => item.height)));
  const rowTop: number[] = [];
  let top = margin;
  for (let i = 0; i < depth; i++) {
    rowTop.push(top);
    top += rowHeight[i]! + layerGap;
  }
  const minLeft = Math.min(...[...items.values()].map((item) => item.x - item.width / 2));
  const shift = margin - minLeft;
  for (const item of items.values()) item.x += shift;
  const width = Math.max(...[...items.values()].map((item) => item.x + item.width / 2)) + margin;
  const height = top - layerGap + margin;

  const placed = new Map<string, PlacedVertex>();
  for (const v of vertices) {
    const item = items.get(v.id)!;
    placed.set(v.id, {
      ...v,
      x: item.x - v.width / 2,
      y: rowTop[item.layer]! + (rowHeight[item.layer]! - v.height) / 2,
      layer: item.layer,
    });
  }
  const routed = chains.map(({ edge, chain }): RoutedEdge => {
    // A bend crosses its layer straight down, so the edge bends only between layers, never across a box.
    const points = chain.flatMap((id, i) => {
      const item = items.get(id)!;
      if (i === 0) return [{ x: item.x, y: placed.get(id)!.y + item.height }];
      if (i === chain.length - 1) return [{ x: item.x, y: placed.get(id)!.y }];
      return [
        { x: item.x, y: rowTop[item.layer]! },
        { x: item.x, y: rowTop[item.layer]! + rowHeight[item.layer]! },
      ];
    });
    return { ...edge, points };
  });
  return { vertices: vertices.map((v) => placed.get(v.id)!), edges: routed, width, height };
}
