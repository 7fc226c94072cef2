/**
 * Decides which nodes a run executes, so that a node reruns only when its code, inputs or
 * parameters changed (kedro-org/kedro#4635). A node is fresh when its fingerprint matches its
 * last successful run, its persisted outputs are still there with the recorded digests, and no
 * node upstream of it in this run changes. A fresh node is still replayed (its persisted outputs
 * left as they are) when a changed node needs its in-memory outputs. A partial run (`--nodes`,
 * `--from-nodes`…) replays the nodes it leaves out whose in-memory outputs it reads, since memory
 * does not outlive a run.
 */
import type { Catalog } from "../catalog/catalog.ts";
import type { PipelineNode } from "./definition.ts";
import { fingerprintNode } from "./fingerprint.ts";
import { isParameterInput, type PipelineGraph } from "./graph.ts";
import type { NodeState, NodeStateStore } from "./node-state.ts";

/** What the runner does with one node. */
export type NodeAction =
  /** `recheck`: it runs only because a node upstream reruns; if its inputs come out unchanged, it is skipped after all. */
  | { kind: "run"; reason: string; fingerprint: string | undefined; recheck: boolean }
  | { kind: "replay"; reason: string; fingerprint: string | undefined }
  | { kind: "skip"; state: NodeState; fingerprint: string };

/** What planning needs to know. */
export interface PlanInput {
  pipeline: string;
  graph: PipelineGraph;
  /** The nodes of this run, in topological order. */
  nodes: readonly PipelineNode[];
  catalog: Catalog;
  params: Readonly<Record<string, unknown>>;
  states: NodeStateStore | undefined;
  force: boolean;
  /** The seed of Math.random, which changes what every node computes. */
  seed?: number | string;
  /** Nodes a partial run left out but may replay for their in-memory outputs (see `inMemoryProducers`); among `nodes`. */
  replayOnly?: ReadonlySet<PipelineNode>;
}

/** The nodes outside `selected` whose in-memory outputs the selected nodes read, directly or through each other. */
export function inMemoryProducers(
  graph: PipelineGraph,
  selected: readonly PipelineNode[],
  catalog: Catalog,
): Set<PipelineNode> {
  const inSelection = new Set(selected);
  const found = new Set<PipelineNode>();
  const stack = [...selected];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const name of node.inputs) {
      if (isParameterInput(name) || catalog.get(name).persisted) continue;
      const producer = graph.producerOf(name);
      if (producer === undefined || inSelection.has(producer) || found.has(producer)) continue;
      found.add(producer);
      stack.push(producer);
    }
  }
  return found;
}

/** Whether `node`'s persisted outputs are still what its last run (`state`) wrote; else which one is not. */
export async function changedOutput(
  node: PipelineNode,
  state: NodeState,
  catalog: Catalog,
): Promise<string | undefined> {
  for (const output of node.outputs) {
    const dataset = catalog.get(output);
    if (dataset.persisted && (await dataset.digest()) !== state.outputs[output]) return output;
  }
  return undefined;
}

async function changeReason(
  node: PipelineNode,
  fingerprint: string | undefined,
  state: NodeState | undefined,
  catalog: Catalog,
): Promise<string | undefined> {
  if (state === undefined) return "no earlier run";
  if (fingerprint === undefined) return "reads in-memory data from outside this run";
  if (state.fingerprint !== fingerprint) return "code, inputs or parameters changed";
  const output = await changedOutput(node, state, catalog);
  return output === undefined ? undefined : `output \`${output}\` is missing or was changed`;
}

/** The action for every node of the run, by node name; a `replayOnly` node nothing needs gets none and is left out. */
export async function planRun(input: PlanInput): Promise<Map<string, NodeAction>> {
  const { graph, nodes, catalog, params, states } = input;
  const replayOnly = input.replayOnly ?? new Set<PipelineNode>();
  const inRun = new Set(nodes);
  const fingerprints = new Map<string, string | undefined>();
  const changed = new Map<PipelineNode, string>();
  const recheck = new Set<PipelineNode>();
  const fresh = new Map<PipelineNode, { state: NodeState; fingerprint: string }>();

  for (const node of nodes) {
    const fingerprint = await fingerprintNode(
      node,
      catalog,
      params,
      (dataset) => {
        const producer = graph.producerOf(dataset);
        return producer !== undefined && inRun.has(producer) ? fingerprints.get(producer.name) : undefined;
      },
      input.seed,
    );
    fingerprints.set(node.name, fingerprint);
    if (replayOnly.has(node)) continue;
    let reason: string | undefined;
    let state: NodeState | undefined;
    if (input.force) reason = "forced";
    else if (states === undefined) reason = "change tracking is off";
    else {
      const upstream = graph.upstream(node).find((u) => changed.has(u));
      state = await states.getNodeState(input.pipeline, node.name);
      reason =
        upstream === undefined
          ? await changeReason(node, fingerprint, state, catalog)
          : `upstream node \`${upstream.name}\` reruns`;
      if (upstream !== undefined) recheck.add(node);
    }
    if (reason !== undefined || fingerprint === undefined || state === undefined)
      changed.set(node, reason ?? "no earlier run");
    else fresh.set(node, { state, fingerprint });
  }

  // Fresh producers of in-memory inputs of nodes that run must run again to rebuild those values.
  const replay = new Map<PipelineNode, string>();
  const stack = [...changed.keys()];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const name of node.inputs) {
      if (isParameterInput(name) || catalog.get(name).persisted) continue;
      const producer = graph.producerOf(name);
      if (producer === undefined || replay.has(producer)) continue;
      if (replayOnly.has(producer))
        replay.set(
          producer,
          `left out of this partial run, replayed for \`${name}\` (in memory), which \`${node.name}\` reads`,
        );
      else if (fresh.has(producer))
        replay.set(producer, `unchanged, replayed for \`${name}\` (in memory), which \`${node.name}\` reads`);
      else continue;
      stack.push(producer);
    }
  }

  const actions = new Map<string, NodeAction>();
  for (const node of nodes) {
    const fingerprint = fingerprints.get(node.name);
    const changeReasonText = changed.get(node);
    const replayReason = replay.get(node);
    if (changeReasonText !== undefined)
      actions.set(node.name, { kind: "run", reason: changeReasonText, fingerprint, recheck: recheck.has(node) });
    else if (replayReason !== undefined) actions.set(node.name, { kind: "replay", reason: replayReason, fingerprint });
    else if (!replayOnly.has(node)) {
      const { state, fingerprint: fp } = fresh.get(node)!;
      actions.set(node.name, { kind: "skip", state, fingerprint: fp });
    }
  }
  return actions;
}
