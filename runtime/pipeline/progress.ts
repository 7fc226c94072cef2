/** Progress on the terminal, as hooks: one line per node start and end with timings, epochs and logs in between. */
import type { PipelineNode } from "./definition.ts";
import type { Hooks } from "./hooks.ts";

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Writes run progress line by line through `write` (console.log by default). */
export class ProgressReporter implements Hooks {
  private width = 0;

  constructor(private readonly write: (line: string) => void = (line) => console.log(line)) {}

  private name(node: PipelineNode): string {
    return node.name.padEnd(this.width);
  }

  beforePipelineRun(event: { nodes: readonly PipelineNode[] }): void {
    this.width = Math.max(...event.nodes.map((n) => n.name.length));
  }

  beforeNodeRun(event: { node: PipelineNode; replay: boolean }): void {
    this.write(`▸ ${this.name(event.node)}  ${event.replay ? "replaying (its in-memory outputs are needed)" : "running"}`);
  }

  afterNodeRun(event: { node: PipelineNode; durationMs: number; replay: boolean }): void {
    this.write(`✓ ${this.name(event.node)}  ${seconds(event.durationMs)}${event.replay ? " (replayed)" : ""}`);
  }

  onNodeSkipped(event: { node: PipelineNode }): void {
    this.write(`- ${this.name(event.node)}  unchanged, skipped`);
  }

  onNodeError(event: { node: PipelineNode; durationMs: number }): void {
    this.write(`✗ ${this.name(event.node)}  failed after ${seconds(event.durationMs)}`);
  }

  onNodeProgress(event: { node: PipelineNode; message: string }): void {
    this.write(`  ${this.name(event.node)}  ${event.message}`);
  }

  onNodeLog(event: { node: PipelineNode; level: "info" | "warn"; message: string }): void {
    this.write(`  ${this.name(event.node)}  ${event.level === "warn" ? "warning: " : ""}${event.message}`);
  }
}
