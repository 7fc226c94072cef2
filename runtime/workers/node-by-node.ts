/**
 * `cellforge run --on workers` node by node: when every dataset passed between the nodes to run is
 * persisted (a catalog entry that is not in memory, on the shared artifact root) and there is more
 * than one node, the command
 * records and schedules the run itself and each node goes to a worker (workers-runner.ts); else
 * the whole run is one job.
 */
import { Catalog } from "../catalog/catalog.ts";
import { loadProjectConfig } from "../config/config-loader.ts";
import { projectCredentials } from "../config/project-credentials.ts";
import { filterNodes, type PipelineFilter } from "../pipeline/filter.ts";
import { PipelineGraph } from "../pipeline/graph.ts";
import { loadProjectSetup } from "../project/project-setup.ts";
import { loadPipelineOutline } from "./pipeline-outline.ts";

/** How many nodes are to run, and the datasets passed in memory between them (none, and several nodes: the run goes node by node). */
export async function nodesToRun(
  root: string,
  env: string,
  pipelineName: string,
  filter?: PipelineFilter,
): Promise<{ count: number; inMemory: string[] }> {
  const config = loadProjectConfig(root, env);
  const pipeline = await loadPipelineOutline(root, pipelineName);
  const graph = new PipelineGraph(pipeline);
  const nodes = new Set(filterNodes(graph, filter));
  const catalog = new Catalog(config.catalog, {
    root,
    pipeline: pipeline.name,
    types: (await loadProjectSetup(root)).datasetTypes,
    credentials: projectCredentials(root, env),
  });
  try {
    const inMemory: string[] = [];
    for (const node of nodes)
      for (const output of node.outputs)
        if (graph.consumersOf(output).some((consumer) => nodes.has(consumer)) && !catalog.get(output).persisted)
          inMemory.push(output);
    return { count: nodes.size, inMemory };
  } finally {
    await catalog.release();
  }
}
