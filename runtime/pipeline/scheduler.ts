/**
 * Scheduling a pipeline run: which nodes run (filters, partial runs, skip-unchanged, replays) and
 * when (topological order, each node as soon as its inputs are ready, so independent nodes
 * overlap), stopping at the first failure. Executing each node is the Runner's (runner.ts); by
 * default the in-process one.
 */
import type { Catalog } from "../catalog/catalog.ts";
import { MemoryDataset } from "../catalog/memory-dataset.ts";
import type { RunEvent } from "../events/run-event.ts";
import type { Pipeline, PipelineNode } from "./definition.ts";
import { PipelineDefinitionError } from "./errors.ts";
import { filterNodes, type PipelineFilter } from "./filter.ts";
import { fingerprintNode } from "./fingerprint.ts";
import { PipelineGraph, isParameterInput, parameterName } from "./graph.ts";
import { callHooks, type Hooks, type NodeOutcome, type PipelineRunResult } from "./hooks.ts";
import { InProcessRunner } from "./in-process-runner.ts";
import type { NodeState, NodeStateStore } from "./node-state.ts";
import { changedOutput, inMemoryProducers, planRun, type NodeAction } from "./run-plan.ts";
import type { NodeTask, Runner } from "./runner.ts";

/** How to run a pipeline. */
export interface SchedulerOptions {
  catalog: Catalog;
  /** Resolved parameter values. */
  params: Readonly<Record<string, unknown>>;
  hooks?: readonly Hooks[];
  filter?: PipelineFilter;
  /** Where node states live; without it every node runs. */
  states?: NodeStateStore;
  /** Rerun every selected node even if nothing changed. */
  force?: boolean;
  /** The tracked run, passed to the tracking scope of each node. */
  runId?: string;
  /** Makes Math.random deterministic per node. */
  seed?: number | string;
  /** Project root, to show stack frames relative to it. */
  root?: string;
  /**
   * Executes the nodes; by default in this process, with `hooks` around each node. Another runner
   * (a worker) reports through events, which reach the `onRunEvent` of `hooks`.
   */
  runner?: Runner;
}

/** Says who should have written a dataset that is not there. */
function missingHint(
  dataset: string,
  node: PipelineNode,
  graph: PipelineGraph,
  inRun: ReadonlySet<PipelineNode>,
  catalog: Catalog,
): string | undefined {
  const producer = graph.producerOf(dataset);
  if (producer !== undefined && !inRun.has(producer)) {
    return `It is an output of node \`${producer.name}\`, which this run leaves out: run it first (cellforge run --to-nodes ${node.name}).`;
  }
  if (producer === undefined && !catalog.lists(dataset)) {
    return "No node outputs it and conf/base/catalog.yml does not list it: add a catalog entry (extracting the notebook again regenerates its entries).";
  }
  if (producer === undefined)
    return "No node outputs it: put the file there, or fix its path in conf/base/catalog.yml.";
  return undefined;
}

/** Runs pipelines; one instance per run. */
export class PipelineScheduler {
  private readonly hooks: readonly Hooks[];

  constructor(private readonly options: SchedulerOptions) {
    this.hooks = options.hooks ?? [];
  }

  /** Sends `event` to every hook's `onRunEvent`. */
  private readonly emit = (event: RunEvent): Promise<void> => callHooks(this.hooks, "onRunEvent", event);

  /** Runs `pipeline` (filtered); resolves when every node ended, rejects with the first failure. */
  async run(pipeline: Pipeline): Promise<PipelineRunResult> {
    const { catalog, params } = this.options;
    const started = performance.now();
    const graph = new PipelineGraph(pipeline);
    const selected = filterNodes(graph, this.options.filter);
    // Memory does not outlive a run: a partial run replays the left-out producers of the in-memory data it reads.
    const replayOnly = inMemoryProducers(graph, selected, catalog);
    const candidates = graph.nodes.filter((node) => replayOnly.has(node) || selected.includes(node));
    for (const node of candidates) {
      for (const input of node.inputs.filter(isParameterInput)) {
        if (!(parameterName(input) in params)) {
          throw new PipelineDefinitionError(
            `Node \`${node.name}\` reads \`${input}\`, but pipeline \`${pipeline.name}\` has no parameter \`${parameterName(input)}\`; add it to the notebook's parameters cell.`,
          );
        }
      }
    }
    const plan = await planRun({
      pipeline: pipeline.name,
      graph,
      nodes: candidates,
      replayOnly,
      catalog,
      params,
      states: this.options.states,
      force: this.options.force ?? false,
      ...(this.options.seed === undefined ? {} : { seed: this.options.seed }),
    });
    const nodes = candidates.filter((node) => plan.has(node.name));
    const runner =
      this.options.runner ??
      new InProcessRunner({
        pipeline,
        catalog,
        hooks: this.hooks,
        ...(this.options.root === undefined ? {} : { root: this.options.root }),
      });
    await callHooks(this.hooks, "beforePipelineRun", { pipeline, nodes, params });
    try {
      const outcomes = await this.schedule(pipeline, graph, nodes, plan, runner);
      const freeOutputs: Record<string, unknown> = {};
      for (const node of nodes) {
        for (const output of node.outputs) {
          const dataset = catalog.get(output);
          if (graph.consumersOf(output).length === 0 && dataset instanceof MemoryDataset && (await dataset.exists())) {
            freeOutputs[output] = await dataset.load();
          }
        }
      }
      const result: PipelineRunResult = { nodes: outcomes, freeOutputs, durationMs: performance.now() - started };
      await callHooks(this.hooks, "afterPipelineRun", { pipeline, result });
      return result;
    } catch (error) {
      await callHooks(this.hooks, "onPipelineError", { pipeline, error });
      throw error;
    }
  }

  /** Starts each node once its producers in this run have ended; stops starting nodes after a failure. */
  private async schedule(
    pipeline: Pipeline,
    graph: PipelineGraph,
    nodes: readonly PipelineNode[],
    plan: Map<string, NodeAction>,
    runner: Runner,
  ): Promise<NodeOutcome[]> {
    const inRun = new Set(nodes);
    const fingerprints = new Map<string, string | undefined>();
    const pendingLoads = new Map<string, number>();
    for (const node of nodes) {
      if (plan.get(node.name)!.kind === "skip") continue;
      for (const input of node.inputs)
        if (!isParameterInput(input)) pendingLoads.set(input, (pendingLoads.get(input) ?? 0) + 1);
    }
    const outcomes: NodeOutcome[] = [];
    const done = new Set<PipelineNode>();
    const running = new Map<PipelineNode, Promise<void>>();
    let failure: Error | undefined;

    const start = (node: PipelineNode): void => {
      const promise = this.step(
        pipeline,
        graph,
        inRun,
        node,
        plan.get(node.name)!,
        fingerprints,
        pendingLoads,
        runner,
      ).then(
        (outcome) => {
          outcomes.push(outcome);
        },
        (error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      );
      running.set(
        node,
        promise.finally(() => {
          running.delete(node);
          done.add(node);
        }),
      );
    };

    for (;;) {
      if (failure === undefined) {
        for (const node of nodes) {
          if (done.has(node) || running.has(node)) continue;
          if (graph.upstream(node).every((u) => !inRun.has(u) || done.has(u))) start(node);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
    if (failure !== undefined) throw failure;
    // Report in topological order, whatever order the overlapping nodes ended in.
    return nodes.flatMap((node) => outcomes.filter((o) => o.node === node.name));
  }

  /** One node's turn: skipped when unchanged, else executed by the runner, and its state recorded. */
  private async step(
    pipeline: Pipeline,
    graph: PipelineGraph,
    inRun: ReadonlySet<PipelineNode>,
    node: PipelineNode,
    action: NodeAction,
    fingerprints: Map<string, string | undefined>,
    pendingLoads: Map<string, number>,
    runner: Runner,
  ): Promise<NodeOutcome> {
    const { catalog, params, states } = this.options;
    if (action.kind === "skip") {
      fingerprints.set(node.name, action.fingerprint);
      await this.skipped(node, action.state);
      return { node: node.name, status: "skipped", durationMs: 0 };
    }
    const replay = action.kind === "replay";
    const memoryKey = (dataset: string): string | undefined => {
      const producer = graph.producerOf(dataset);
      return producer === undefined ? undefined : fingerprints.get(producer.name);
    };
    if (action.kind === "run" && action.recheck && states !== undefined) {
      const state = await this.unchangedAfterAll(pipeline, graph, inRun, node, memoryKey);
      if (state !== undefined) {
        fingerprints.set(node.name, state.fingerprint);
        this.releaseInputs(node, pendingLoads);
        await this.skipped(node, state);
        return { node: node.name, status: "skipped", durationMs: 0 };
      }
    }
    const fingerprint = replay
      ? action.fingerprint
      : states === undefined
        ? undefined
        : await fingerprintNode(node, catalog, params, memoryKey, this.options.seed);
    const recordState = !replay && states !== undefined && fingerprint !== undefined;
    const hints: Record<string, string> = {};
    for (const input of node.inputs) {
      if (isParameterInput(input)) continue;
      const hint = missingHint(input, node, graph, inRun, catalog);
      if (hint !== undefined) hints[input] = hint;
    }
    const task: NodeTask = {
      pipeline: pipeline.name,
      node: node.name,
      replay,
      digests: recordState,
      params: { ...params },
      hints,
      ...(this.options.seed === undefined ? {} : { seed: this.options.seed }),
      ...(this.options.runId === undefined ? {} : { runId: this.options.runId }),
    };
    const execution = await runner.runNode(task, this.emit);

    fingerprints.set(node.name, fingerprint);
    if (recordState) {
      await states.putNodeState(pipeline.name, node.name, {
        fingerprint,
        outputs: execution.saved,
        metrics: execution.metrics,
        logged: execution.logged,
        runId: this.options.runId,
        updatedAt: Date.now(),
      });
    }
    this.releaseInputs(node, pendingLoads);
    return { node: node.name, status: execution.status, durationMs: execution.durationMs };
  }

  /** Reports a node left out because nothing changed, with the metrics it last recorded. */
  private async skipped(node: PipelineNode, state: NodeState): Promise<void> {
    await this.emit({ type: "node-skipped", node: node.name, metrics: [...state.logged, ...state.metrics] });
    await callHooks(this.hooks, "onNodeSkipped", { node, state });
  }

  /** Counts down the loads each input still has coming; an in-memory input nobody needs any more is dropped. */
  private releaseInputs(node: PipelineNode, pendingLoads: Map<string, number>): void {
    for (const input of node.inputs) {
      if (isParameterInput(input)) continue;
      const left = (pendingLoads.get(input) ?? 0) - 1;
      pendingLoads.set(input, left);
      const dataset = this.options.catalog.get(input);
      if (left <= 0 && dataset instanceof MemoryDataset) dataset.release();
    }
  }

  /**
   * Early cutoff: a node planned to run only because a node upstream reran is skipped after all
   * when its inputs came out with the same digests, its outputs are intact, and no node of this
   * run needs its in-memory outputs. Returns its state when it can be skipped.
   */
  private async unchangedAfterAll(
    pipeline: Pipeline,
    graph: PipelineGraph,
    inRun: ReadonlySet<PipelineNode>,
    node: PipelineNode,
    memoryKey: (dataset: string) => string | undefined,
  ): Promise<NodeState | undefined> {
    const { catalog, params, states } = this.options;
    const neededInMemory = node.outputs.some(
      (o) => !catalog.get(o).persisted && graph.consumersOf(o).some((c) => inRun.has(c)),
    );
    if (neededInMemory) return undefined;
    const state = await states!.getNodeState(pipeline.name, node.name);
    if (
      state === undefined ||
      state.fingerprint !== (await fingerprintNode(node, catalog, params, memoryKey, this.options.seed))
    )
      return undefined;
    return (await changedOutput(node, state, catalog)) === undefined ? state : undefined;
  }
}
