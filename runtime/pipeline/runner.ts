/**
 * The runner: runs a pipeline's nodes in topological order against the catalog, starting each
 * node as soon as its inputs are ready (independent nodes overlap), skipping unchanged nodes,
 * and stopping at the first failure with the node's name, source cell and cause.
 */
import type { Catalog } from "../catalog/catalog.ts";
import { DatasetNotFoundError } from "../catalog/errors.ts";
import { MemoryDataset } from "../catalog/memory-dataset.ts";
import { withRunScope, type RunScope } from "../tracking/context.ts";
import type { Pipeline, PipelineNode } from "./definition.ts";
import { NodeFailedError, PipelineDefinitionError } from "./errors.ts";
import { filterNodes, type PipelineFilter } from "./filter.ts";
import { fingerprintNode } from "./fingerprint.ts";
import { PipelineGraph, isParameterInput, parameterName } from "./graph.ts";
import { callHooks, type Hooks, type NodeOutcome, type PipelineRunResult } from "./hooks.ts";
import { metricsOf } from "./metrics.ts";
import type { LoggedMetric, NodeState, NodeStateStore } from "./node-state.ts";
import { changedOutput, inMemoryProducers, planRun, type NodeAction } from "./run-plan.ts";
import { withSeededMathRandom, withSeededStream } from "./seeded-random.ts";

/** How to run a pipeline. */
export interface RunnerOptions {
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
}

/** Says who should have written a dataset that is not there. */
function missingHint(dataset: string, node: PipelineNode, graph: PipelineGraph, inRun: ReadonlySet<PipelineNode>, catalog: Catalog): string | undefined {
  const producer = graph.producerOf(dataset);
  if (producer !== undefined && !inRun.has(producer)) {
    return `It is an output of node \`${producer.name}\`, which this run leaves out: run it first (cellforge run --to-nodes ${node.name}).`;
  }
  if (producer === undefined && !catalog.lists(dataset)) {
    return "No node outputs it and conf/base/catalog.yml does not list it: add a catalog entry (extracting the notebook again regenerates its entries).";
  }
  if (producer === undefined) return "No node outputs it: put the file there, or fix its path in conf/base/catalog.yml.";
  return undefined;
}

function outputsOf(node: PipelineNode, result: unknown): Record<string, unknown> {
  if (node.outputs.length === 0) return {};
  if (typeof result !== "object" || result === null) {
    throw new TypeError(`it returned ${result === null ? "null" : typeof result}, but must return an object with ${node.outputs.map((o) => `\`${o}\``).join(", ")}`);
  }
  const record = result as Record<string, unknown>;
  const missing = node.outputs.filter((o) => !(o in record));
  if (missing.length > 0) throw new TypeError(`it returned no ${missing.map((o) => `\`${o}\``).join(", ")}`);
  return record;
}

/** Runs pipelines; one instance per run. */
export class Runner {
  private readonly hooks: readonly Hooks[];

  constructor(private readonly options: RunnerOptions) {
    this.hooks = options.hooks ?? [];
  }

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
          throw new PipelineDefinitionError(`Node \`${node.name}\` reads \`${input}\`, but pipeline \`${pipeline.name}\` has no parameter \`${parameterName(input)}\`; add it to the notebook's parameters cell.`);
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
    await callHooks(this.hooks, "beforePipelineRun", { pipeline, nodes, params });
    try {
      const execute = () => this.schedule(pipeline, graph, nodes, plan);
      const outcomes = this.options.seed === undefined ? await execute() : await withSeededMathRandom(this.options.seed, execute);
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
  private async schedule(pipeline: Pipeline, graph: PipelineGraph, nodes: readonly PipelineNode[], plan: Map<string, NodeAction>): Promise<NodeOutcome[]> {
    const inRun = new Set(nodes);
    const fingerprints = new Map<string, string | undefined>();
    const pendingLoads = new Map<string, number>();
    for (const node of nodes) {
      if (plan.get(node.name)!.kind === "skip") continue;
      for (const input of node.inputs) if (!isParameterInput(input)) pendingLoads.set(input, (pendingLoads.get(input) ?? 0) + 1);
    }
    const outcomes: NodeOutcome[] = [];
    const done = new Set<PipelineNode>();
    const running = new Map<PipelineNode, Promise<void>>();
    let failure: Error | undefined;

    const start = (node: PipelineNode): void => {
      const promise = this.runNode(pipeline, graph, inRun, node, plan.get(node.name)!, fingerprints, pendingLoads).then(
        (outcome) => {
          outcomes.push(outcome);
        },
        (error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      );
      running.set(node, promise.finally(() => {
        running.delete(node);
        done.add(node);
      }));
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

  private async runNode(
    pipeline: Pipeline,
    graph: PipelineGraph,
    inRun: ReadonlySet<PipelineNode>,
    node: PipelineNode,
    action: NodeAction,
    fingerprints: Map<string, string | undefined>,
    pendingLoads: Map<string, number>,
  ): Promise<NodeOutcome> {
    const { catalog, params, states } = this.options;
    if (action.kind === "skip") {
      fingerprints.set(node.name, action.fingerprint);
      await callHooks(this.hooks, "onNodeSkipped", { node, state: action.state });
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
        await callHooks(this.hooks, "onNodeSkipped", { node, state });
        return { node: node.name, status: "skipped", durationMs: 0 };
      }
    }
    const started = performance.now();
    try {
      const inputs: Record<string, unknown> = {};
      for (const input of node.inputs) {
        if (isParameterInput(input)) {
          inputs[input] = params[parameterName(input)];
          continue;
        }
        const dataset = catalog.get(input);
        await callHooks(this.hooks, "beforeDatasetLoad", { name: input, node, dataset });
        let data: unknown;
        try {
          data = await dataset.load();
        } catch (error) {
          if (!(error instanceof DatasetNotFoundError)) throw error;
          throw new DatasetNotFoundError(error.dataset, error.path, missingHint(error.dataset, node, graph, inRun, catalog));
        }
        inputs[input] = data;
        await callHooks(this.hooks, "afterDatasetLoad", { name: input, node, dataset, data });
      }
      const fingerprint = replay ? action.fingerprint : states === undefined ? undefined : await fingerprintNode(node, catalog, params, memoryKey, this.options.seed);

      await callHooks(this.hooks, "beforeNodeRun", { node, inputs, replay });
      const args = node.inputs.map((input) => inputs[input]);
      const logged: LoggedMetric[] = [];
      const call = () => withRunScope(this.scopeFor(node, logged), () => node.func(...args));
      const seed = this.options.seed;
      const result: unknown = await (seed === undefined ? call() : withSeededStream(seed, node.name, call));
      const outputs = outputsOf(node, result);

      // The digests of what this run saved, taken before afterDatasetSave: until then the tracker holds the path's save
      // lock, so a concurrent run cannot have rewritten the shared file, whose digest would make its output pass for ours.
      const saved: Record<string, string> = {};
      for (const output of node.outputs) {
        const dataset = catalog.get(output);
        if (replay && dataset.persisted) continue;
        const data = outputs[output];
        await callHooks(this.hooks, "beforeDatasetSave", { name: output, node, dataset, data });
        await dataset.save(data);
        if (!replay && states !== undefined && fingerprint !== undefined) {
          const digest = await dataset.digest();
          if (digest !== undefined) saved[output] = digest;
        }
        await callHooks(this.hooks, "afterDatasetSave", { name: output, node, dataset, data });
      }
      const durationMs = performance.now() - started;
      await callHooks(this.hooks, "afterNodeRun", { node, inputs, outputs, durationMs, replay });

      fingerprints.set(node.name, fingerprint);
      if (!replay && states !== undefined && fingerprint !== undefined) {
        await states.putNodeState(pipeline.name, node.name, {
          fingerprint,
          outputs: saved,
          metrics: metricsOf(node, outputs),
          logged,
          runId: this.options.runId,
          updatedAt: Date.now(),
        });
      }
      this.releaseInputs(node, pendingLoads);
      return { node: node.name, status: replay ? "replayed" : "ran", durationMs };
    } catch (error) {
      const durationMs = performance.now() - started;
      await callHooks(this.hooks, "onNodeError", { node, error, durationMs });
      throw new NodeFailedError(node, error, this.options.root);
    }
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
    const neededInMemory = node.outputs.some((o) => !catalog.get(o).persisted && graph.consumersOf(o).some((c) => inRun.has(c)));
    if (neededInMemory) return undefined;
    const state = await states!.getNodeState(pipeline.name, node.name);
    if (state === undefined || state.fingerprint !== (await fingerprintNode(node, catalog, params, memoryKey, this.options.seed))) return undefined;
    return (await changedOutput(node, state, catalog)) === undefined ? state : undefined;
  }

  /** The tracking scope of a running node: its logs, metrics and progress go to the hooks. */
  private scopeFor(node: PipelineNode, logged: LoggedMetric[]): RunScope {
    const hooks = this.hooks;
    const fire = <K extends "onNodeLog" | "onNodeMetric" | "onNodeProgress">(name: K, event: Parameters<NonNullable<Hooks[K]>>[0]): void => {
      void callHooks(hooks, name, event).catch((error: unknown) => {
        console.warn(`cellforge: a ${name} hook failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    };
    return {
      runId: this.options.runId,
      node: node.name,
      logMetric: (name, value, step) => {
        logged.push({ name, value, step });
        fire("onNodeMetric", { node, name, value, step });
      },
      log: (level, message) => fire("onNodeLog", { node, level, message }),
      progress: (message) => fire("onNodeProgress", { node, message }),
    };
  }
}
