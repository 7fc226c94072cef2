/** The dataflow graph of a pipeline: who produces and consumes each dataset, in topological order. */
import type { Pipeline, PipelineNode } from "./definition.ts";
import { PipelineDefinitionError } from "./errors.ts";

/** Whether a node input is a parameter (`params:NAME`) rather than a dataset. */
export function isParameterInput(input: string): boolean {
  return input.startsWith("params:");
}

/** The parameter name of a `params:NAME` input. */
export function parameterName(input: string): string {
  return input.slice("params:".length);
}

/** A validated pipeline with lookups by dataset and a stable topological order. */
export class PipelineGraph {
  /** Nodes in topological order; ties keep the definition's order. */
  readonly nodes: readonly PipelineNode[];
  private readonly producers = new Map<string, PipelineNode>();
  private readonly consumers = new Map<string, PipelineNode[]>();
  private readonly byName = new Map<string, PipelineNode>();

  constructor(readonly pipeline: Pipeline) {
    for (const node of pipeline.nodes) {
      if (this.byName.has(node.name)) {
        throw new PipelineDefinitionError(
          `Pipeline \`${pipeline.name}\` has two nodes named \`${node.name}\`; node names must be unique.`,
        );
      }
      this.byName.set(node.name, node);
      for (const output of node.outputs) {
        const other = this.producers.get(output);
        if (other !== undefined) {
          throw new PipelineDefinitionError(
            `Nodes \`${other.name}\` and \`${node.name}\` both output \`${output}\`; a dataset has one producer. Rename one of them.`,
          );
        }
        this.producers.set(output, node);
      }
      for (const input of node.inputs) {
        if (isParameterInput(input)) continue;
        const list = this.consumers.get(input) ?? [];
        list.push(node);
        this.consumers.set(input, list);
      }
    }
    this.nodes = this.topologicalOrder();
  }

  private topologicalOrder(): PipelineNode[] {
    const order: PipelineNode[] = [];
    const done = new Set<string>();
    const remaining = [...this.pipeline.nodes];
    while (remaining.length > 0) {
      const index = remaining.findIndex((node) => this.upstream(node).every((u) => done.has(u.name)));
      if (index === -1) {
        const names = remaining.map((n) => `\`${n.name}\``).join(", ");
        throw new PipelineDefinitionError(
          `Nodes ${names} depend on each other in a cycle; a pipeline must be acyclic.`,
        );
      }
      const [node] = remaining.splice(index, 1) as [PipelineNode];
      order.push(node);
      done.add(node.name);
    }
    return order;
  }

  /** The node called `name`. */
  node(name: string): PipelineNode | undefined {
    return this.byName.get(name);
  }

  /** The node that outputs `dataset`, if any. */
  producerOf(dataset: string): PipelineNode | undefined {
    return this.producers.get(dataset);
  }

  /** The nodes that read `dataset`. */
  consumersOf(dataset: string): readonly PipelineNode[] {
    return this.consumers.get(dataset) ?? [];
  }

  /** The nodes whose outputs `node` reads. */
  upstream(node: PipelineNode): PipelineNode[] {
    const found = node.inputs.filter((i) => !isParameterInput(i)).map((i) => this.producers.get(i));
    return [...new Set(found.filter((n): n is PipelineNode => n !== undefined && n !== node))];
  }

  /** The nodes that read `node`'s outputs. */
  downstream(node: PipelineNode): PipelineNode[] {
    return [...new Set(node.outputs.flatMap((o) => this.consumersOf(o)))];
  }

  /** `start` and every node upstream of them, transitively. */
  ancestors(start: Iterable<PipelineNode>): Set<PipelineNode> {
    return this.closure(start, (n) => this.upstream(n));
  }

  /** `start` and every node downstream of them, transitively. */
  descendants(start: Iterable<PipelineNode>): Set<PipelineNode> {
    return this.closure(start, (n) => this.downstream(n));
  }

  private closure(start: Iterable<PipelineNode>, next: (n: PipelineNode) => PipelineNode[]): Set<PipelineNode> {
    const seen = new Set<PipelineNode>();
    const stack = [...start];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...next(node));
    }
    return seen;
  }

  /** Every dataset name the pipeline reads or writes. */
  datasets(): Set<string> {
    return new Set(this.pipeline.nodes.flatMap((n) => [...n.inputs.filter((i) => !isParameterInput(i)), ...n.outputs]));
  }
}
