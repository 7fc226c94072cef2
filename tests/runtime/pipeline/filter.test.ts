import { describe, expect, it } from "vitest";
import { definePipeline, type PipelineNode } from "../../../runtime/pipeline/definition.ts";
import { filterNodes, type PipelineFilter } from "../../../runtime/pipeline/filter.ts";
import { PipelineGraph } from "../../../runtime/pipeline/graph.ts";

const node = (name: string, inputs: string[], outputs: string[], tags: string[] = []): PipelineNode => ({
  name,
  func: () => ({}),
  inputs,
  outputs,
  tags,
  codeHash: name,
});

//   raw → a → x → b → y ┐
//             └→ c → z ─┴→ d → w        other → e → v
const pipeline = definePipeline({
  name: "diamond",
  source: "diamond.ipynb",
  nodes: [
    node("d", ["y", "z"], ["w"], ["report"]),
    node("b", ["x", "params:k"], ["y"], ["left"]),
    node("c", ["x"], ["z"], ["right"]),
    node("a", ["raw"], ["x"], ["prepare"]),
    node("e", ["other"], ["v"], ["prepare"]),
  ],
  parameters: { defaults: { k: 1 }, schema: {} },
});
const graph = new PipelineGraph(pipeline);
const names = (filter: PipelineFilter) => filterNodes(graph, filter).map((n) => n.name);

describe("pipeline filters (Kedro semantics)", () => {
  it("orders nodes topologically, keeping the definition order between independent ones", () => {
    // d comes before e: whenever a node is ready, the earliest-defined ready node goes first.
    expect(graph.nodes.map((n) => n.name)).toEqual(["a", "b", "c", "d", "e"]);
    expect(names({})).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("--nodes: exactly those nodes", () => expect(names({ nodeNames: ["c", "b"] })).toEqual(["b", "c"]));
  it("--tags: nodes with any of the tags", () =>
    expect(names({ tags: ["prepare", "report"] })).toEqual(["a", "d", "e"]));
  it("--from-nodes: the nodes and everything downstream", () =>
    expect(names({ fromNodes: ["b"] })).toEqual(["b", "d"]));
  it("--to-nodes: the nodes and everything upstream", () =>
    expect(names({ toNodes: ["d"] })).toEqual(["a", "b", "c", "d"]));
  it("--from-inputs: nodes depending directly or transitively on the datasets", () =>
    expect(names({ fromInputs: ["x"] })).toEqual(["b", "c", "d"]));
  it("--to-outputs: nodes needed to produce the datasets", () =>
    expect(names({ toOutputs: ["y"] })).toEqual(["a", "b"]));
  it("several filters: their intersection", () => {
    expect(names({ fromNodes: ["a"], toNodes: ["b"] })).toEqual(["a", "b"]);
    expect(names({ fromInputs: ["x"], tags: ["right", "report"] })).toEqual(["c", "d"]);
  });

  it("unknown names are errors with a suggestion and the list", () => {
    expect(() => names({ nodeNames: ["bb"] })).toThrow(
      "--nodes names `bb`, which is not a node of pipeline `diamond` (did you mean `b`?). Nodes: a, b, c, d, e.",
    );
    expect(() => names({ toOutputs: ["ww"] })).toThrow(
      "--to-outputs names `ww`, which no node of pipeline `diamond` reads or writes (did you mean `w`?).",
    );
  });

  it("an empty selection is an error", () => {
    expect(() => names({ nodeNames: ["a"], tags: ["report"] })).toThrow(
      "No node of pipeline `diamond` is left after applying all the filters given; loosen them.",
    );
  });

  it("rejects duplicate outputs and cycles", () => {
    const twice = { ...pipeline, nodes: [node("p", [], ["x"]), node("q", [], ["x"])] };
    expect(() => new PipelineGraph(twice)).toThrow(
      "Nodes `p` and `q` both output `x`; a dataset has one producer. Rename one of them.",
    );
    const cycle = { ...pipeline, nodes: [node("p", ["y"], ["x"]), node("q", ["x"], ["y"])] };
    expect(() => new PipelineGraph(cycle)).toThrow(
      "Nodes `p`, `q` depend on each other in a cycle; a pipeline must be acyclic.",
    );
  });
});
