/**
 * Queueing a run (`run --on workers`, `sweep`) checks it against the pipeline's shape (node names,
 * datasets, node code hashes, parameters) but never calls a node: importing the pipeline only for that
 * loads TF.js and danfojs, ~1 s before the first job is queued. The shape is kept in
 * .cellforge/outlines/<name>.json beside the sha256 of pipelines/<name>/ it was read from, and read
 * from there while the code is unchanged; any change to the folder imports the pipeline again.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../catalog/atomic-write.ts";
import type { Pipeline, PipelineNode, PipelineParameters } from "../pipeline/definition.ts";
import { loadPipeline } from "../pipeline/load-pipeline.ts";
import { pipelineCodeDigest } from "../pipeline/pipeline-code.ts";

/** What the outline file holds: a pipeline without its code. */
interface OutlineFile {
  digest: string;
  name: string;
  source: string;
  parameters: PipelineParameters;
  nodes: Omit<PipelineNode, "func">[];
}

function outlinePath(root: string, name: string): string {
  return join(root, ".cellforge", "outlines", `${name}.json`);
}

function readOutline(path: string, digest: string): OutlineFile | undefined {
  try {
    const outline = JSON.parse(readFileSync(path, "utf8")) as OutlineFile;
    return outline.digest === digest && Array.isArray(outline.nodes) ? outline : undefined;
  } catch {
    return undefined; // missing or unreadable (an older format, a disk error): read the pipeline again
  }
}

/** A node of an outline: its function only says that the code was not loaded here. */
function outlineNode(node: Omit<PipelineNode, "func">, pipeline: string): PipelineNode {
  return {
    ...node,
    func: () => {
      throw new Error(
        `Node \`${node.name}\` of pipeline \`${pipeline}\` comes from an outline (a queued run's check): its code is not loaded in this process.`,
      );
    },
  };
}

/**
 * pipelines/<name>/ as a pipeline whose nodes cannot run: everything else (nodes, datasets, code hashes,
 * parameters; no predict) is the pipeline's. From the outline file when the folder is unchanged since it
 * was written, else from the pipeline itself (then written for next time).
 */
export async function loadPipelineOutline(root: string, name: string): Promise<Pipeline> {
  const digest = pipelineCodeDigest(root, name);
  const path = outlinePath(root, name);
  const cached = readOutline(path, digest);
  if (cached !== undefined)
    return {
      name: cached.name,
      source: cached.source,
      parameters: cached.parameters,
      nodes: cached.nodes.map((node) => outlineNode(node, cached.name)),
    };
  // The code on disk now, even if this process imported an older copy before.
  const pipeline = await loadPipeline(root, name, { current: true });
  const outline: OutlineFile = {
    digest,
    name: pipeline.name,
    source: pipeline.source,
    parameters: pipeline.parameters,
    nodes: pipeline.nodes.map(({ func: _func, ...node }) => node),
  };
  // Best effort: a read-only checkout queues runs all the same, reading the pipeline each time.
  await writeFileAtomic(path, root, JSON.stringify(outline)).catch(() => undefined);
  return pipeline;
}
