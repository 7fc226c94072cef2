/** Registering the model of a run that finished without registering one (a sweep's best run): from the copies that run kept, whatever was saved since. */
import { Catalog } from "../catalog/catalog.ts";
import { loadProjectConfig } from "../config/config-loader.ts";
import { projectCredentials } from "../config/project-credentials.ts";
import { loadPipeline } from "../pipeline/load-pipeline.ts";
import { loadProjectSetup } from "../project/project-setup.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { openProjectStore } from "../stores/project-stores.ts";

/** Registers run `runId`'s model (the artifacts of its predict cell, from its own copies); throws RegistrationError when it kept none. */
export async function registerRunModel(
  root: string,
  env: string,
  runId: string,
): Promise<{ version: ModelVersion; created: boolean }> {
  const config = loadProjectConfig(root, env);
  const { store, registry } = await openProjectStore(root, env, config);
  try {
    const run = await store.getRun(runId);
    if (run === undefined) throw new Error(`No run ${runId} in the tracking store.`);
    const pipeline = await loadPipeline(root, run.pipeline);
    const project = await loadProjectSetup(root);
    // The catalog only gives the artifacts' dataset types: the files come from the run's copies.
    const catalog = new Catalog(config.catalog, {
      root,
      pipeline: pipeline.name,
      types: project.datasetTypes,
      credentials: projectCredentials(root, env),
    });
    try {
      return await registry.register({
        pipeline,
        catalog,
        runId: run.id,
        artifacts: run.artifacts,
        metrics: run.metrics,
        inputs: run.inputs,
      });
    } finally {
      await catalog.release();
    }
  } finally {
    await store.close();
  }
}
