/**
 * Parameters per pipeline: conf/<env>/parameters/<pipeline>.yml holds one pipeline's values; the shared
 * conf/<env>/parameters.yml is still read for the names the pipeline declares, and names that only another
 * pipeline declares are left to it, so `hiddenUnits: 64` for train never breaks `cellforge run capture`.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listPipelines } from "../pipeline/load-pipeline.ts";
import type { ProjectConfig } from "./config-loader.ts";
import { readYamlMapping } from "./config-loader.ts";
import type { ParameterAssignment, ParameterOverrides } from "./parameters.ts";

/** The parameter names each other pipeline of the project declares (from its generated parameters.ts). */
export async function parametersOfOtherPipelines(root: string, pipeline: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const other of listPipelines(root).filter((name) => name !== pipeline)) {
    try {
      const module = (await import(pathToFileURL(join(root, "pipelines", other, "parameters.ts")).href)) as {
        defaults?: unknown;
        schema?: { properties?: unknown };
      };
      for (const record of [module.defaults, module.schema?.properties]) {
        if (typeof record === "object" && record !== null) for (const name of Object.keys(record)) names.add(name);
      }
    } catch {
      // A pipeline without a readable parameters.ts declares nothing; its own run reports why.
    }
  }
  return names;
}

/** Every layer over the pipeline's defaults, for resolveParameters: shared files, the pipeline's own files, then `--params`. */
export async function parameterOverrides(
  root: string,
  config: ProjectConfig,
  pipeline: string,
  cli: readonly ParameterAssignment[] = [],
): Promise<ParameterOverrides> {
  const own = (env: string): Record<string, unknown> =>
    readYamlMapping(join(root, "conf", env, "parameters", `${pipeline}.yml`), `conf/${env}/parameters/${pipeline}.yml`);
  return {
    base: config.parameters.base,
    env: config.parameters.env,
    envName: config.env,
    pipeline,
    pipelineBase: own("base"),
    pipelineEnv: config.env === "base" ? {} : own(config.env),
    declaredElsewhere: await parametersOfOtherPipelines(root, pipeline),
    cli,
  };
}
