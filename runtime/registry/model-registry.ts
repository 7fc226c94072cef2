/**
 * The model registry: a run of a pipeline with a `predict` cell registers a model version
 * (artifacts copied into an immutable store with their hashes, schemas, metrics, run id and
 * training data digest); aliases such as `champion` point at versions; references resolve
 * `NAME`, `NAME:VERSION` and `NAME@ALIAS` to a version and its artifact paths.
 */
import { randomBytes } from "node:crypto";
import { chmod, cp, mkdir, readdir, rm, stat } from "node:fs/promises";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import { datasetFactory } from "../catalog/dataset-types.ts";
import { combinedDigest, sha256 } from "../catalog/digest.ts";
import { FileDataset } from "../catalog/file-dataset.ts";
import { projectRelative } from "../catalog/project-path.ts";
import { didYouMean } from "../config/closest-name.ts";
import type { Pipeline } from "../pipeline/definition.ts";
import { stableJson } from "../pipeline/fingerprint.ts";
import type { DatasetInputRecord } from "../tracking/store.ts";
import { BreakingSchemaError, ModelNotFoundError, RegistrationError } from "./errors.ts";
import { formatModelRef, parseModelRef, type ModelRef } from "./model-ref.ts";
import type { ModelArtifact, ModelSummary, ModelVersion, RegistryStore } from "./registry-store.ts";
import { breakingChanges } from "./schema-compatibility.ts";

/** What a finished run hands the registry. */
export interface RegisterRequest {
  pipeline: Pipeline;
  catalog: Catalog;
  runId: string | undefined;
  metrics: Record<string, number>;
  inputs: DatasetInputRecord[];
}

/** A staged artifact: where its files wait and how they map into the version folder. */
interface StagedArtifact {
  dataset: string;
  type: string;
  folder: boolean;
  fileName: string;
  sha256: string;
  files: { relative: string; sha256: string; size: number }[];
}

/** The digest of the datasets a model was trained on: sha256 over their sorted names and digests. */
export function trainingDataDigest(inputs: readonly DatasetInputRecord[]): string | undefined {
  if (inputs.length === 0) return undefined;
  return sha256([...inputs].sort((a, b) => (a.name < b.name ? -1 : 1)).map((i) => `${i.name}\0${i.digest}\n`).join(""));
}

async function makeReadOnly(folder: string): Promise<void> {
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await chmod(join(entry.parentPath, entry.name), 0o444);
  }
}

/** Registers, promotes and resolves model versions. */
export class ModelRegistry {
  /**
   * @param root project root
   * @param modelsPath absolute folder of the immutable model store (inside the project)
   */
  constructor(
    readonly store: RegistryStore,
    readonly root: string,
    readonly modelsPath: string,
  ) {}

  /** Copies the predictor's artifacts into a staging folder, with their hashes. */
  private async stage(request: RegisterRequest, staging: string): Promise<StagedArtifact[]> {
    const predict = request.pipeline.predict!;
    const staged: StagedArtifact[] = [];
    for (const name of predict.artifacts) {
      const dataset = request.catalog.get(name);
      if (!(dataset instanceof FileDataset)) {
        throw new RegistrationError(
          `The predict cell needs \`${name}\`, which is ${dataset.persisted ? `a ${dataset.type} dataset the registry cannot copy` : "only in memory"}: ` +
            `give it a file dataset in conf/base/catalog.yml (e.g. type: json or tfjs-model) so the model can be registered.`,
        );
      }
      const files = await dataset.files();
      if (files.length === 0) throw new RegistrationError(`The predict cell needs \`${name}\`, which has no stored data yet: run the node that outputs it.`);
      const source = await dataset.loadPath();
      const folder = (await stat(source)).isDirectory();
      const target = join(staging, name);
      await mkdir(target, { recursive: true });
      if (folder) await cp(source, target, { recursive: true });
      else await cp(source, join(target, basename(source)));
      staged.push({
        dataset: name,
        type: dataset.type,
        folder,
        fileName: basename(source),
        sha256: combinedDigest(files, folder ? source : dirname(source))!,
        files: files.map((f) => ({ relative: folder ? relative(source, f.path) : basename(source), sha256: f.sha256, size: f.size })),
      });
    }
    return staged;
  }

  /**
   * Registers the model of a finished run as a new version of the pipeline's name, unless the
   * latest version already has the same artifacts and schemas (then that version is returned).
   */
  async register(request: RegisterRequest): Promise<{ version: ModelVersion; created: boolean }> {
    const { pipeline } = request;
    const predict = pipeline.predict;
    if (predict === undefined) throw new RegistrationError(`Pipeline \`${pipeline.name}\` has no predict cell, so it has no model to register.`);
    await mkdir(this.modelsPath, { recursive: true });
    const staging = join(this.modelsPath, `.staging-${process.pid}-${randomBytes(6).toString("hex")}`);
    try {
      const staged = await this.stage(request, staging);
      const latest = (await this.store.listModelVersions(pipeline.name)).at(-1);
      if (
        latest !== undefined &&
        stableJson(latest.artifacts.map((a) => [a.dataset, a.sha256])) === stableJson(staged.map((a) => [a.dataset, a.sha256])) &&
        stableJson(latest.inputSchema) === stableJson(predict.inputSchema) &&
        stableJson(latest.outputSchema) === stableJson(predict.outputSchema)
      ) {
        return { version: latest, created: false };
      }
      await makeReadOnly(staging);
      const record = {
        name: pipeline.name,
        runId: request.runId,
        inputSchema: predict.inputSchema,
        outputSchema: predict.outputSchema,
        metrics: request.metrics,
        trainingDataDigest: trainingDataDigest(request.inputs),
        inputs: request.inputs,
      };
      const version = await this.store.addModelVersion(record, (number) => {
        const target = join(this.modelsPath, pipeline.name, String(number));
        // A folder without a record is left by a crash between the move and the commit.
        if (existsSync(target)) rmSync(target, { recursive: true, force: true });
        mkdirSync(dirname(target), { recursive: true });
        renameSync(staging, target);
        return staged.map((a): ModelArtifact => {
          const folder = join(target, a.dataset);
          return {
            dataset: a.dataset,
            type: a.type,
            path: projectRelative(this.root, a.folder ? folder : join(folder, a.fileName)),
            sha256: a.sha256,
            files: a.files.map((f) => ({ path: projectRelative(this.root, join(folder, f.relative)), sha256: f.sha256, size: f.size })),
          };
        });
      });
      return { version, created: true };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** The version a reference names. */
  async resolve(reference: string | ModelRef): Promise<ModelVersion> {
    const ref = typeof reference === "string" ? parseModelRef(reference) : reference;
    const versions = await this.store.listModelVersions(ref.name);
    if (versions.length === 0) {
      const names = (await this.store.listModels()).map((m) => m.name);
      throw new ModelNotFoundError(
        `No model \`${ref.name}\` is registered${didYouMean(ref.name, names)}. ` +
          (names.length === 0 ? "Run a pipeline with a predict cell to register one (cellforge run)." : `Registered models: ${names.join(", ")}.`),
      );
    }
    if (ref.kind === "latest") return versions.at(-1)!;
    if (ref.kind === "version") {
      const found = versions.find((v) => v.version === ref.version);
      if (found === undefined) throw new ModelNotFoundError(`Model \`${ref.name}\` has no version ${ref.version}; versions: ${versions.map((v) => v.version).join(", ")}.`);
      return found;
    }
    const number = await this.store.getAlias(ref.name, ref.alias);
    if (number === undefined) {
      const aliases = [...new Set(versions.flatMap((v) => v.aliases))];
      throw new ModelNotFoundError(
        `Model \`${ref.name}\` has no alias @${ref.alias}; ` +
          (aliases.length === 0 ? `it has none yet (cellforge models promote ${ref.name} VERSION --alias ${ref.alias}).` : `aliases: ${aliases.map((a) => `@${a}`).join(", ")}.`),
      );
    }
    return versions.find((v) => v.version === number)!;
  }

  /**
   * Points `alias` at `version`. Refused when the alias's current version has an input schema that
   * the new one breaks (removed, retyped or newly required fields), unless `force`.
   */
  async promote(name: string, version: number, alias: string, options: { force?: boolean } = {}): Promise<{ version: ModelVersion; previous: number | undefined; changes: string[] }> {
    const target = await this.resolve({ name, kind: "version", version });
    const currentNumber = await this.store.getAlias(name, alias);
    let changes: string[] = [];
    if (currentNumber !== undefined && currentNumber !== version) {
      const current = (await this.store.getModelVersion(name, currentNumber))!;
      changes = breakingChanges(current.inputSchema, target.inputSchema);
      if (changes.length > 0 && options.force !== true) throw new BreakingSchemaError(name, version, alias, currentNumber, changes);
    }
    const previous = await this.store.setAlias(name, alias, version);
    return { version: (await this.store.getModelVersion(name, version))!, previous, changes };
  }

  /** Every registered model with its latest version and aliases. */
  async listModels(): Promise<ModelSummary[]> {
    return this.store.listModels();
  }

  /** Versions of `name`, oldest first. */
  async listVersions(name: string): Promise<ModelVersion[]> {
    return this.store.listModelVersions(name);
  }

  /** Absolute path of an artifact in the model store. */
  artifactPath(artifact: ModelArtifact): string {
    return join(this.root, artifact.path);
  }

  /** Loads a version's artifacts with their dataset types, keyed by dataset name (what predict.create takes). */
  async loadArtifacts(version: ModelVersion): Promise<Record<string, unknown>> {
    const loaded: Record<string, unknown> = {};
    for (const artifact of version.artifacts) {
      const factory = datasetFactory(artifact.type);
      if (factory === undefined) throw new RegistrationError(`Artifact \`${artifact.dataset}\` of ${formatModelRef({ name: version.name, kind: "version", version: version.version })} has type ${artifact.type}, which is not registered in this process.`);
      loaded[artifact.dataset] = await factory(artifact.dataset, { type: artifact.type, path: artifact.path }, { root: this.root, saveVersion: "" }).load();
    }
    return loaded;
  }
}
