/** Building a RunJob in the checkout that queues it: the pipeline, parameters and filters are checked here, before anything is queued. */
import { loadProjectConfig } from "../config/config-loader.ts";
import { resolveParameters, type ParameterAssignment } from "../config/parameters.ts";
import { parameterOverrides } from "../config/pipeline-parameters.ts";
import { filterNodes, type PipelineFilter } from "../pipeline/filter.ts";
import { PipelineGraph } from "../pipeline/graph.ts";
import { loadPipelineOutline } from "./pipeline-outline.ts";
import { codeHashesOf, commitOf, type RunJob } from "./run-job.ts";

/** What to queue. */
export interface JobRequest {
  root: string;
  pipeline: string;
  env: string;
  params: ParameterAssignment[];
  tags?: Record<string, string>;
  force?: boolean;
  register?: boolean;
  filter?: PipelineFilter;
}

/** Checks the request as `cellforge run` would (unknown parameters, wrong types, unknown nodes throw) and returns the job with its resolved values. */
export async function prepareRunJob(request: JobRequest): Promise<{ job: RunJob; params: Record<string, unknown> }> {
  const { params, ...shared } = request;
  return (await prepareRunJobs(shared, [params]))[0]!;
}

/**
 * prepareRunJob for several parameter sets of one request (a sweep's configurations): the configuration, the
 * pipeline's outline, the filter and the commit are read once, each set's parameters are checked on their own.
 */
export async function prepareRunJobs(
  request: Omit<JobRequest, "params">,
  paramSets: readonly ParameterAssignment[][],
): Promise<{ job: RunJob; params: Record<string, unknown> }[]> {
  const config = loadProjectConfig(request.root, request.env);
  const pipeline = await loadPipelineOutline(request.root, request.pipeline);
  filterNodes(new PipelineGraph(pipeline), request.filter);
  const commit = commitOf(request.root);
  const codeHashes = codeHashesOf(pipeline);
  const prepared = [];
  for (const params of paramSets) {
    const { values } = resolveParameters(
      pipeline.parameters,
      await parameterOverrides(request.root, config, pipeline.name, params),
    );
    prepared.push({
      params: values,
      job: {
        pipeline: pipeline.name,
        env: request.env,
        params,
        tags: request.tags ?? {},
        force: request.force ?? false,
        register: request.register ?? true,
        ...(request.filter === undefined ? {} : { filter: request.filter }),
        codeHashes,
        ...(commit === undefined ? {} : { commit }),
      },
    });
  }
  return prepared;
}
