import { describe, expect, it } from "vitest";
import { CyclicGraphError, layoutDag, type LayoutEdge } from "../../../runtime/ui/dag-layout.ts";
import { pipelineGraph, pipelineSvg } from "../../../runtime/ui/pipeline-graph.ts";
import train from "../../../pipelines/train/pipeline.ts";

const box = (id: string, width = 80) => ({ id, width, height: 30 });

describe("layered DAG layout", () => {
  it("puts every edge's target in a lower layer than its source, with boxes of a layer side by side", () => {
    const vertices = ["raw", "clean", "cleaned", "split", "train", "test", "fit", "model", "score", "metric"].map(
      (id) => box(id),
    );
    const edges: LayoutEdge[] = [
      { from: "raw", to: "clean" },
      { from: "clean", to: "cleaned" },
      { from: "cleaned", to: "split" },
      { from: "split", to: "train" },
      { from: "split", to: "test" },
      { from: "train", to: "fit" },
      { from: "fit", to: "model" },
      { from: "model", to: "score" },
      { from: "test", to: "score" },
      { from: "score", to: "metric" },
    ];
    const layout = layoutDag(vertices, edges);
    const at = new Map(layout.vertices.map((v) => [v.id, v]));
    for (const e of edges) expect(at.get(e.to)!.layer).toBeGreaterThan(at.get(e.from)!.layer);
    for (const a of layout.vertices) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(layout.width);
      for (const b of layout.vertices) {
        if (a === b || a.layer !== b.layer) continue;
        expect(a.x + a.width <= b.x || b.x + b.width <= a.x).toBe(true);
      }
    }
    // test -> score skips the layers of fit and model: it bends straight down through each of them.
    const skip = layout.edges.find((e) => e.from === "test" && e.to === "score")!;
    expect(skip.points).toHaveLength(2 + 2 * (at.get("score")!.layer - at.get("test")!.layer - 1));
    expect(skip.points[0]).toEqual({ x: at.get("test")!.x + 40, y: at.get("test")!.y + 30 });
    expect(skip.points.at(-1)).toEqual({ x: at.get("score")!.x + 40, y: at.get("score")!.y });
    for (let i = 1; i + 1 < skip.points.length; i++)
      expect(skip.points[i + 1]!.y).toBeGreaterThanOrEqual(skip.points[i]!.y);
  });

  it("places a source just above its first consumer, not at the top", () => {
    const layout = layoutDag(
      [box("a"), box("b"), box("c"), box("late")],
      [
        { from: "a", to: "b" },
        { from: "b", to: "c" },
        { from: "late", to: "c" },
      ],
    );
    const layer = Object.fromEntries(layout.vertices.map((v) => [v.id, v.layer]));
    expect(layer).toEqual({ a: 0, b: 1, c: 2, late: 1 });
  });

  it("orders a layer so that edges do not cross when they need not", () => {
    // Drawn in input order, left→right and right→left edges would cross.
    const layout = layoutDag(
      [box("l"), box("r"), box("R"), box("L")],
      [
        { from: "l", to: "L" },
        { from: "r", to: "R" },
      ],
    );
    const x = Object.fromEntries(layout.vertices.map((v) => [v.id, v.x]));
    expect(x["l"]! < x["r"]!).toBe(x["L"]! < x["R"]!);
  });

  it("refuses a cycle, naming its vertices", () => {
    expect(() =>
      layoutDag(
        [box("a"), box("b")],
        [
          { from: "a", to: "b" },
          { from: "b", to: "a" },
        ],
      ),
    ).toThrow(CyclicGraphError);
  });
});

describe("pipeline graph", () => {
  it("draws the train pipeline as kedro-viz does: nodes, catalog and memory datasets, metrics, edges in run order", () => {
    const catalog = {
      pokemon: { type: "csv", path: "data/01_raw/pokemon.csv" },
      model: { type: "tfjs-model", path: "data/06_models/model" },
    };
    const graph = pipelineGraph(train, catalog, { parameters: false });
    const kinds = Object.fromEntries(graph.vertices.map((v) => [v.id, v.kind]));
    expect(kinds["node:train"]).toBe("node");
    expect(kinds["dataset:pokemon"]).toBe("dataset");
    expect(graph.vertices.find((v) => v.id === "dataset:typeAccuracy")).toMatchObject({
      metric: true,
      memory: true,
      caption: "metric",
    });
    expect(graph.vertices.find((v) => v.id === "dataset:model")).toMatchObject({
      caption: "tfjs-model",
      memory: false,
    });
    expect(graph.edges).toContainEqual({ from: "dataset:pokemon", to: "node:clean" });
    expect(graph.edges).toContainEqual({ from: "node:train", to: "dataset:model" });
    expect(graph.vertices.some((v) => v.kind === "parameter")).toBe(false);

    const withParameters = pipelineGraph(train, catalog, { parameters: true });
    expect(withParameters.edges).toContainEqual({ from: "parameter:epochs", to: "node:train" });

    const svg = pipelineSvg("train", graph).text;
    expect(svg).toMatch(/^<svg class="dag"[^>]* role="group" aria-labelledby="dag-title-train">/);
    expect(svg.match(/<g class="box node"/g)).toHaveLength(train.nodes.length);
    expect(svg.match(/<path class="edge/g)).toHaveLength(graph.edges.length);
    expect(svg).toContain(">confusionMatrix</text>");
  });
});
