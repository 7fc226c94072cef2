/**
 * Loads a registered model version for serving: its artifacts from the registry's immutable copy
 * (through their catalog dataset types), and the predict factory of pipelines/<name>/pipeline.ts.
 *
 * The loader checks that the pipeline module's predict cell still takes the same artifacts, has the
 * same request and response schemas, and has the predict code (the hash the registry recorded) of
 * the version; a mismatch is refused rather than served with code the version was not registered with.
 */
import { relative } from "node:path";
import { loadPipeline } from "../pipeline/load-pipeline.ts";
import type { PredictDefinition } from "../pipeline/definition.ts";
import { loadProjectSetup } from "../project/project-setup.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { predictMismatch } from "../registry/predict-fit.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { useFastestBackend } from "../tfjs/backend.ts";
import { ModelMismatchError } from "./errors.ts";
import { ServedModel, type PredictFunction } from "./served-model.ts";

function mismatch(version: ModelVersion, source: string, what: string): ModelMismatchError {
  const label = `${version.name}:${version.version}`;
  return new ModelMismatchError(
    `${source} cannot serve ${label}: ${what}. The code changed since ${label} was registered; ` +
      `run \`npx cellforge run ${version.name}\` to register a version of the current code, or check out the code ${label} was trained with.`,
  );
}

function checkPredict(
  version: ModelVersion,
  predict: PredictDefinition | undefined,
  source: string,
): PredictDefinition {
  switch (predictMismatch(version, predict)) {
    case "no-predict":
      throw mismatch(version, source, "its notebook has no predict cell any more");
    case "artifacts": {
      const wanted = version.artifacts.map((a) => a.dataset).sort();
      const has = [...(predict?.artifacts ?? [])].sort();
      throw mismatch(
        version,
        source,
        `its predict cell needs ${has.join(", ") || "no artifacts"}, the version has ${wanted.join(", ") || "none"}`,
      );
    }
    case "request":
      throw mismatch(version, source, "its request schema differs from the version's");
    case "response":
      throw mismatch(version, source, "its response schema differs from the version's");
    case "code":
      throw mismatch(
        version,
        source,
        `its predict code (predict.ts and the shared code it uses, sha256 ${predict!.codeHash!.slice(0, 12)}…) is not the code the version was registered with (sha256 ${version.predictCodeHash!.slice(0, 12)}…)`,
      );
  }
  return predict!;
}

/** The training run's values of the parameters the predict code reads, as registered with `version`. */
function trainingParameters(
  version: ModelVersion,
  predict: PredictDefinition,
  source: string,
): Record<string, unknown> {
  const names = predict.parameters ?? [];
  const recorded = version.predictParameters ?? {};
  const missing = names.filter((n) => !Object.hasOwn(recorded, n));
  if (missing.length > 0) {
    const label = `${version.name}:${version.version}`;
    throw new ModelMismatchError(
      `${source} cannot serve ${label}: its predict code reads parameter${missing.length === 1 ? "" : "s"} ${missing.map((n) => `\`${n}\``).join(", ")}, ` +
        `whose value ${label} did not record (it was registered before its predict code read ${missing.length === 1 ? "it" : "them"}). ` +
        `Retrain to register a version that records ${missing.length === 1 ? "it" : "them"}: \`npx cellforge run ${version.name}\`.`,
    );
  }
  return Object.fromEntries(names.map((n) => [n, recorded[n]]));
}

/** Loads `version` of the project at `root`: artifacts, then `predict.create(artifacts, parameters)`. */
export async function loadModelVersion(
  registry: ModelRegistry,
  root: string,
  version: ModelVersion,
): Promise<ServedModel> {
  await useFastestBackend();
  const source = relative(root, `${root}/pipelines/${version.name}/pipeline.ts`);
  // The code on disk now, even when this process imported an older copy: a reload serves new code without a restart.
  const pipeline = await loadPipeline(root, version.name, { current: true });
  const predict = checkPredict(version, pipeline.predict, source);
  // The project's cellforge.hooks.ts may define the artifacts' dataset types, as for `cellforge run`.
  const { datasetTypes } = await loadProjectSetup(root);
  const artifacts = await registry.loadArtifacts(version, datasetTypes);
  let predictFunction: unknown;
  try {
    predictFunction = predict.create(artifacts, trainingParameters(version, predict, source));
  } catch (error) {
    for (const artifact of Object.values(artifacts)) (artifact as { dispose?: () => void } | null)?.dispose?.();
    throw error;
  }
  if (typeof predictFunction !== "function")
    throw mismatch(version, source, `its predict factory returned a ${typeof predictFunction}, not a function`);
  return new ServedModel(version, predictFunction as PredictFunction, artifacts, source);
}
