/**
 * The runner `cellforge run` uses: executes each node in this process, against the run's catalog
 * (in-memory datasets included), calling the project's hooks with the live data around every load,
 * call and save, and reporting the same moments as run events.
 */
import type { Catalog } from "../catalog/catalog.ts";
import { DatasetNotFoundError } from "../catalog/errors.ts";
import type { RunEvent, RunEventSink } from "../events/run-event.ts";
import { withRunScope, type RunScope } from "../events/run-scope.ts";
import type { Pipeline, PipelineNode } from "./definition.ts";
import { NodeFailedError, PipelineDefinitionError } from "./errors.ts";
import { isParameterInput, parameterName } from "./graph.ts";
import { callHooks, type Hooks } from "./hooks.ts";
import { metricsOf } from "./metrics.ts";
import type { LoggedMetric } from "./node-state.ts";
import type { NodeExecution, NodeTask, Runner } from "./runner.ts";
import { withSeededStream } from "./seeded-random.ts";

/** What the in-process runner executes nodes with. */
export interface InProcessRunnerOptions {
  pipeline: Pipeline;
  catalog: Catalog;
  /** Hooks called with the live data (inputs, outputs, datasets) around each node. */
  hooks?: readonly Hooks[];
  /** Project root, to show stack frames relative to it. */
  root?: string;
}

function outputsOf(node: PipelineNode, result: unknown): Record<string, unknown> {
  if (node.outputs.length === 0) return {};
  if (typeof result !== "object" || result === null) {
    throw new TypeError(
      `it returned ${result === null ? "null" : typeof result}, but must return an object with ${node.outputs.map((o) => `\`${o}\``).join(", ")}`,
    );
  }
  const record = result as Record<string, unknown>;
  const missing = node.outputs.filter((o) => !(o in record));
  if (missing.length > 0) throw new TypeError(`it returned no ${missing.map((o) => `\`${o}\``).join(", ")}`);
  return record;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Executes nodes in this process. */
export class InProcessRunner implements Runner {
  private readonly hooks: readonly Hooks[];
  private readonly nodes: ReadonlyMap<string, PipelineNode>;

  constructor(private readonly options: InProcessRunnerOptions) {
    this.hooks = options.hooks ?? [];
    this.nodes = new Map(options.pipeline.nodes.map((node) => [node.name, node]));
  }

  /** Runs one node: loads its inputs, calls it under its seed and run scope, saves its outputs. */
  async runNode(task: NodeTask, events: RunEventSink): Promise<NodeExecution> {
    const node = this.nodes.get(task.node);
    if (node === undefined)
      throw new PipelineDefinitionError(`Pipeline \`${this.options.pipeline.name}\` has no node \`${task.node}\`.`);
    const { catalog } = this.options;
    const { replay, params } = task;
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
          throw new DatasetNotFoundError(error.dataset, error.path, task.hints[input]);
        }
        inputs[input] = data;
        await events({ type: "dataset-loaded", node: node.name, dataset: input, rows: dataset.rows(data) });
        await callHooks(this.hooks, "afterDatasetLoad", { name: input, node, dataset, data });
      }

      await events({ type: "node-started", node: node.name, replay });
      await callHooks(this.hooks, "beforeNodeRun", { node, inputs, replay });
      const args = node.inputs.map((input) => inputs[input]);
      const logged: LoggedMetric[] = [];
      const call = () => withRunScope(this.scopeFor(node, task, events, logged), () => node.func(...args));
      const result: unknown = await (task.seed === undefined ? call() : withSeededStream(task.seed, node.name, call));
      const outputs = outputsOf(node, result);

      // The digests of what this run saved, taken before dataset-saved: until then the tracker holds the path's save
      // lock, so a concurrent run cannot have rewritten the shared file, whose digest would make its output pass for ours.
      const saved: Record<string, string> = {};
      for (const output of node.outputs) {
        const dataset = catalog.get(output);
        if (replay && dataset.persisted) continue;
        const data = outputs[output];
        await events({ type: "dataset-saving", node: node.name, dataset: output });
        await callHooks(this.hooks, "beforeDatasetSave", { name: output, node, dataset, data });
        await dataset.save(data);
        if (task.digests) {
          const digest = await dataset.digest();
          if (digest !== undefined) saved[output] = digest;
        }
        await events({ type: "dataset-saved", node: node.name, dataset: output });
        await callHooks(this.hooks, "afterDatasetSave", { name: output, node, dataset, data });
      }
      const durationMs = performance.now() - started;
      const metrics = metricsOf(node, outputs);
      await events({ type: "node-finished", node: node.name, replay, durationMs, metrics });
      await callHooks(this.hooks, "afterNodeRun", { node, inputs, outputs, durationMs, replay });
      return { status: replay ? "replayed" : "ran", durationMs, saved, metrics, logged };
    } catch (error) {
      const durationMs = performance.now() - started;
      await events({ type: "node-failed", node: node.name, durationMs, message: messageOf(error) });
      await callHooks(this.hooks, "onNodeError", { node, error, durationMs });
      throw new NodeFailedError(node, error, this.options.root);
    }
  }

  /** The tracking scope of a running node: its logs, metrics and progress become events and hook calls. */
  private scopeFor(node: PipelineNode, task: NodeTask, events: RunEventSink, logged: LoggedMetric[]): RunScope {
    const hooks = this.hooks;
    const warn = (what: string) => (error: unknown) => {
      console.warn(`cellforge: a ${what} hook failed: ${messageOf(error)}`);
    };
    const fire = <K extends "onNodeLog" | "onNodeMetric" | "onNodeProgress">(
      event: RunEvent,
      name: K,
      hookEvent: Parameters<NonNullable<Hooks[K]>>[0],
    ): void => {
      void events(event).catch(warn("onRunEvent"));
      void callHooks(hooks, name, hookEvent).catch(warn(name));
    };
    return {
      runId: task.runId,
      node: node.name,
      logMetric: (name, value, step) => {
        logged.push({ name, value, step });
        fire({ type: "metric", node: node.name, name, value, step }, "onNodeMetric", { node, name, value, step });
      },
      log: (level, message) =>
        fire({ type: "log", node: node.name, level, message }, "onNodeLog", { node, level, message }),
      progress: (message) => fire({ type: "progress", node: node.name, message }, "onNodeProgress", { node, message }),
    };
  }
}
