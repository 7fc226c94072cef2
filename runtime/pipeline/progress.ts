/** Progress on the terminal, from run events: one line per node start and end with timings, epochs and logs in between. */
import type { RunEvent } from "../events/run-event.ts";
import type { PipelineNode } from "./definition.ts";
import type { Hooks } from "./hooks.ts";

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Writes run progress line by line through `write` (console.log by default). */
export class ProgressReporter implements Hooks {
  private width = 0;

  constructor(private readonly write: (line: string) => void = (line) => console.log(line)) {}

  private name(node: string): string {
    return node.padEnd(this.width);
  }

  beforePipelineRun(event: { nodes: readonly PipelineNode[] }): void {
    this.width = Math.max(...event.nodes.map((n) => n.name.length));
  }

  /** Prints the line of a node event; dataset and metric events print nothing. */
  onRunEvent(event: RunEvent): void {
    switch (event.type) {
      case "node-started":
        this.write(
          `▸ ${this.name(event.node)}  ${event.replay ? "replaying (its in-memory outputs are needed)" : "running"}`,
        );
        break;
      case "node-finished":
        this.write(`✓ ${this.name(event.node)}  ${seconds(event.durationMs)}${event.replay ? " (replayed)" : ""}`);
        break;
      case "node-skipped":
        this.write(`- ${this.name(event.node)}  unchanged, skipped`);
        break;
      case "node-failed":
        this.write(`✗ ${this.name(event.node)}  failed after ${seconds(event.durationMs)}`);
        break;
      case "progress":
        this.write(`  ${this.name(event.node)}  ${event.message}`);
        break;
      case "log":
        this.write(`  ${this.name(event.node)}  ${event.level === "warn" ? "warning: " : ""}${event.message}`);
        break;
      default:
        break;
    }
  }
}
