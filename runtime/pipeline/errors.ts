/** Errors of pipeline definitions, filters and runs. */
import { fileURLToPath } from "node:url";
import type { PipelineNode } from "./definition.ts";

/** The runtime's own folder: its frames are not where a user's error is. */
const runtimeFolder = fileURLToPath(new URL("..", import.meta.url));

/** Base class: a stable `code` and a message that says what to do. */
export class PipelineError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The pipeline definition itself is inconsistent (duplicate names or outputs, a cycle). */
export class PipelineDefinitionError extends PipelineError {
  constructor(message: string) {
    super("PIPELINE_DEFINITION", message);
  }
}

/** `--nodes`, `--tags`, `--from-nodes`… name something the pipeline lacks, or leave nothing to run. */
export class PipelineFilterError extends PipelineError {
  constructor(message: string) {
    super("PIPELINE_FILTER", message);
  }
}

/** pipelines/<name>/pipeline.ts is missing or does not export a pipeline. */
export class PipelineLoadError extends PipelineError {
  constructor(message: string, cause?: unknown) {
    super("PIPELINE_LOAD", message, cause === undefined ? undefined : { cause });
  }
}

/** The first stack frame of `error` in project code (not node_modules, not the runtime), as "file:line". */
function userFrame(error: unknown, root: string | undefined): string | undefined {
  if (!(error instanceof Error) || error.stack === undefined) return undefined;
  for (const line of error.stack.split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(line);
    if (match === null) continue;
    const file = match[1]!.replace(/^file:\/\//, "");
    if (file.includes("/node_modules/") || file.startsWith(runtimeFolder)) continue;
    const shown = root !== undefined && file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
    return `${shown}:${match[2]}`;
  }
  return undefined;
}

/** A node threw: names the node, the notebook cell it came from, the cause and where in the code. */
export class NodeFailedError extends PipelineError {
  readonly node: string;
  constructor(node: PipelineNode, cause: unknown, root?: string) {
    const from = node.source === undefined ? "" : ` (from ${node.source})`;
    const reason = cause instanceof Error ? cause.message : String(cause);
    const at = userFrame(cause, root);
    super("NODE_FAILED", `Node \`${node.name}\`${from} failed: ${reason}${at === undefined ? "" : `\n  at ${at}`}`, {
      cause,
    });
    this.node = node.name;
  }
}
