/**
 * Partial runs with Kedro's semantics: each given filter selects a set of nodes and the run
 * takes their intersection, in topological order.
 */
import { didYouMeanHint } from "@cellforge/contract";
import type { PipelineNode } from "./definition.ts";
import { PipelineFilterError } from "./errors.ts";
import type { PipelineGraph } from "./graph.ts";

/** Which part of a pipeline to run; empty or absent fields do not filter. */
export interface PipelineFilter {
  /** Exactly these nodes (`--nodes`). */
  nodeNames?: readonly string[];
  /** Nodes with any of these tags (`--tags`). */
  tags?: readonly string[];
  /** These nodes and everything downstream of them (`--from-nodes`). */
  fromNodes?: readonly string[];
  /** These nodes and everything upstream of them (`--to-nodes`). */
  toNodes?: readonly string[];
  /** Nodes that depend, directly or transitively, on these datasets (`--from-inputs`). */
  fromInputs?: readonly string[];
  /** Nodes needed to produce these datasets (`--to-outputs`). */
  toOutputs?: readonly string[];
}

function namedNodes(graph: PipelineGraph, names: readonly string[], option: string): PipelineNode[] {
  const all = graph.nodes.map((n) => n.name);
  return names.map((name) => {
    const node = graph.node(name);
    if (node === undefined) {
      throw new PipelineFilterError(
        `${option} names \`${name}\`, which is not a node of pipeline \`${graph.pipeline.name}\`${didYouMeanHint(name, all)}. Nodes: ${all.join(", ")}.`,
      );
    }
    return node;
  });
}

function checkDatasets(graph: PipelineGraph, names: readonly string[], option: string): void {
  const known = graph.datasets();
  for (const name of names) {
    if (!known.has(name)) {
      throw new PipelineFilterError(
        `${option} names \`${name}\`, which no node of pipeline \`${graph.pipeline.name}\` reads or writes${didYouMeanHint(name, known)}.`,
      );
    }
  }
}

function given(list: readonly string[] | undefined): list is readonly string[] {
  return list !== undefined && list.length > 0;
}

/** The nodes `filter` selects, in topological order; throws when a name is unknown or nothing is left. */
export function filterNodes(graph: PipelineGraph, filter: PipelineFilter = {}): PipelineNode[] {
  const selections: Set<PipelineNode>[] = [];
  if (given(filter.nodeNames)) selections.push(new Set(namedNodes(graph, filter.nodeNames, "--nodes")));
  if (given(filter.tags)) {
    const tags = new Set(filter.tags);
    selections.push(new Set(graph.nodes.filter((n) => (n.tags ?? []).some((t) => tags.has(t)))));
  }
  if (given(filter.fromNodes)) selections.push(graph.descendants(namedNodes(graph, filter.fromNodes, "--from-nodes")));
  if (given(filter.toNodes)) selections.push(graph.ancestors(namedNodes(graph, filter.toNodes, "--to-nodes")));
  if (given(filter.fromInputs)) {
    checkDatasets(graph, filter.fromInputs, "--from-inputs");
    selections.push(graph.descendants(filter.fromInputs.flatMap((d) => graph.consumersOf(d))));
  }
  if (given(filter.toOutputs)) {
    checkDatasets(graph, filter.toOutputs, "--to-outputs");
    const producers = filter.toOutputs
      .map((d) => graph.producerOf(d))
      .filter((n): n is PipelineNode => n !== undefined);
    selections.push(graph.ancestors(producers));
  }
  const selected = graph.nodes.filter((node) => selections.every((s) => s.has(node)));
  if (selected.length === 0) {
    throw new PipelineFilterError(
      `No node of pipeline \`${graph.pipeline.name}\` is left after applying all the filters given; loosen them.`,
    );
  }
  return selected;
}
