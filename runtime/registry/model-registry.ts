/**
 * The model registry: a run of a pipeline with a predict cell registers a model version from the
 * run's own copies of its artifacts (never the catalog's shared paths, which a concurrent run may
 * be rewriting), copied into an immutable store with their hashes, schemas, metrics, run id and
 * training data digest; aliases such as `champion` point at versions; references resolve `NAME`,
 * `NAME:VERSION` and `NAME@ALIAS` to a version and its artifact paths. Registrations of one model
 * name are serialized across processes, and a model whose artifacts, schemas and predict code equal
 * those of any existing version is that version.
 */
import { basename, dirname, join, relative } from "node:path";
import type { Catalog } from "../catalog/catalog.ts";
import { builtinDatasetTypes, type DatasetTypes } from "../catalog/dataset-types.ts";
import { combinedDigest, sha256 } from "../catalog/digest.ts";
import { FileDataset } from "../catalog/file-dataset.ts";
import { didYouMeanHint, stableJson } from "@cellforge/contract";
import type { Pipeline, PredictDefinition } from "../pipeline/definition.ts";
import { DEFAULT_ARTIFACTS_PATH } from "../tracking/tracking-settings.ts";
import { ArtifactIntegrityError, ArtifactKeyTakenError, type ArtifactStore } from "../tracking/artifact-store.ts";
import { LocalArtifactStore } from "../tracking/local-artifact-store.ts";
import { runArtifactEntry, runArtifactFolder } from "../tracking/run-artifacts.ts";
import type { ArtifactRecord, DatasetInputRecord } from "../tracking/store.ts";
import {
  BreakingSchemaError,
  ModelIntegrityError,
  ModelNotFoundError,
  RegistrationError,
  VersionFolderConflictError,
} from "./errors.ts";
import { formatModelRef, parseModelRef, type ModelRef } from "./model-ref.ts";
import type { ModelArtifact, ModelSummary, ModelVersion, RegistryStore } from "./registry-store.ts";
import { breakingChanges } from "./schema-compatibility.ts";

/** What a finished run hands the registry. */
export interface RegisterRequest {
  pipeline: Pipeline;
  /** For the artifacts' dataset types. */
  catalog: Catalog;
  runId: string;
  /** The run's artifact records: the files it kept a copy of (`copy`) are what gets registered. */
  artifacts: readonly ArtifactRecord[];
  metrics: Record<string, number>;
  inputs: DatasetInputRecord[];
  /** The run's resolved parameter values; the ones the predict cell reads are recorded with the version. */
  parameters?: Record<string, unknown>;
}

/** One predict artifact as the run kept it: where its copy is and its files' hashes. */
interface RunArtifact {
  dataset: string;
  type: string;
  /** The run's copy: the saved file, or the saved folder. */
  source: string;
  folder: boolean;
  sha256: string;
  files: { relative: string; sha256: string; size: number }[];
  /** The catalog entry's type options, to load the copy as the run saved it. */
  options: Record<string, unknown>;
}

/** The digest of the datasets a model was trained on: sha256 over their sorted names and digests. */
export function trainingDataDigest(inputs: readonly DatasetInputRecord[]): string | undefined {
  if (inputs.length === 0) return undefined;
  return sha256(
    [...inputs]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((i) => `${i.name}\0${i.digest}\n`)
      .join(""),
  );
}

/** The values of the parameters `predict` reads, from the run's resolved parameters; undefined when it reads none. */
function readParameters(
  predict: PredictDefinition,
  values: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const names = predict.parameters ?? [];
  if (names.length === 0) return undefined;
  const missing = names.filter((n) => !(n in values));
  if (missing.length > 0)
    throw new RegistrationError(
      `The predict cell reads parameter${missing.length === 1 ? "" : "s"} ${missing.map((n) => `\`${n}\``).join(", ")}, which the run did not resolve: ` +
        `run the whole pipeline (cellforge run) so the model is registered with the values it was trained with.`,
    );
  return Object.fromEntries(names.map((n) => [n, values[n]]));
}

/** The refusal to register `ref` into `location`, a folder of version files the tracking database does not know. */
function versionFolderConflict(ref: string, key: string, location: string): VersionFolderConflictError {
  const name = dirname(location);
  const [model, number] = key.split("/");
  return new VersionFolderConflictError(
    `Cannot register ${ref}: ${location}/ already exists, but the tracking database has no version ${number} of \`${model}\` ` +
      `(was the database emptied or recreated, or did another tracking store register its versions in this folder?). ` +
      `cellforge never overwrites a model version it does not know. Restore the tracking database; ` +
      `or give each tracking store a folder of its own (for a team store, CELLFORGE_ARTIFACT_ROOT or \`artifacts: { root }\` in tracking.yml); ` +
      `or move the old versions away (mv ${name} ${name}.old), then run again.`,
  );
}

function label(name: string, version: number): string {
  return formatModelRef({ name, kind: "version", version });
}

/** Registers, promotes and resolves model versions. */
export class ModelRegistry {
  /** Where version files are kept (key `NAME/VERSION`). */
  readonly models: ArtifactStore;

  /**
   * @param root project root
   * @param models the artifact store of model versions, or the absolute folder of a local one (inside the project)
   * @param artifactsPath absolute folder of the runs' own artifact copies
   */
  constructor(
    readonly store: RegistryStore,
    readonly root: string,
    models: ArtifactStore | string,
    readonly artifactsPath: string = join(root, DEFAULT_ARTIFACTS_PATH),
  ) {
    this.models = typeof models === "string" ? new LocalArtifactStore(root, models) : models;
  }

  /** The predictor's artifacts as the run kept them, with their hashes (from the run's records). */
  private async runArtifacts(request: RegisterRequest): Promise<RunArtifact[]> {
    const names = request.pipeline.predict!.artifacts;
    for (const name of names) {
      const dataset = request.catalog.get(name);
      if (!(dataset instanceof FileDataset)) {
        throw new RegistrationError(
          `The predict cell needs \`${name}\`, which is ${dataset.persisted ? `a ${dataset.type} dataset the registry cannot copy` : "only in memory"}: ` +
            `give it a file dataset in conf/base/catalog.yml (e.g. type: json or tfjs-model) so the model can be registered.`,
        );
      }
    }
    const found: RunArtifact[] = [];
    for (const name of names) {
      const dataset = request.catalog.get(name);
      const records = request.artifacts.filter((a) => a.dataset === name && a.copy !== undefined);
      const entry = await runArtifactEntry(runArtifactFolder(this.artifactsPath, request.runId, name));
      if (records.length === 0 || entry === undefined) {
        throw new RegistrationError(
          `Run ${request.runId.slice(0, 8)} kept no copy of \`${name}\`, which the predict cell needs, so it has no model of its own to register: ` +
            `run the node that outputs it (cellforge run ${request.pipeline.name} --force).`,
        );
      }
      const files = records
        .map((r) => ({
          relative: entry.folder ? relative(entry.path, join(this.root, r.copy!)) : basename(entry.path),
          sha256: r.sha256,
          size: r.size,
        }))
        .sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
      const digest = combinedDigest(
        files.map((f) => ({ path: join(entry.path, f.relative), sha256: f.sha256, size: f.size })),
        entry.folder ? entry.path : dirname(entry.path),
      )!;
      found.push({
        dataset: name,
        type: dataset.type,
        source: entry.path,
        folder: entry.folder,
        sha256: digest,
        files,
        options: request.catalog.typeOptions(name),
      });
    }
    return found;
  }

  /**
   * Registers the model of a finished run (from the run's own artifact copies) as a new version of
   * the pipeline's name, unless a version already has the same artifacts, schemas and predict code: then that
   * version is returned. Registrations of one name wait for each other, across processes.
   */
  async register(request: RegisterRequest): Promise<{ version: ModelVersion; created: boolean }> {
    const { pipeline } = request;
    const predict = pipeline.predict;
    if (predict === undefined)
      throw new RegistrationError(`Pipeline \`${pipeline.name}\` has no predict cell, so it has no model to register.`);
    const artifacts = await this.runArtifacts(request);
    const predictParameters = readParameters(predict, request.parameters ?? {});
    const lock = await this.store.lock(`register:${pipeline.name}`);
    try {
      const content = stableJson(artifacts.map((a) => [a.dataset, a.sha256]));
      const versions = await this.store.listModelVersions(pipeline.name);
      const same = versions.find(
        (v) =>
          stableJson(v.artifacts.map((a) => [a.dataset, a.sha256])) === content &&
          stableJson(v.inputSchema) === stableJson(predict.inputSchema) &&
          stableJson(v.outputSchema) === stableJson(predict.outputSchema) &&
          // A version registered before predict code was recorded (or code without a hash) is not known to be the same.
          v.predictCodeHash !== undefined &&
          v.predictCodeHash === predict.codeHash &&
          // A parameter the predict code reads is part of the model: another value is another version.
          stableJson(v.predictParameters ?? null) === stableJson(predictParameters ?? null),
      );
      if (same !== undefined) return { version: same, created: false };
      // Registrations of this name hold its lock, so the next number is free; the files are written before, not inside, the database's transaction.
      const number = (versions.at(-1)?.version ?? 0) + 1;
      const key = `${pipeline.name}/${number}`;
      const stored = await this.putVersionFiles(request.runId, key, label(pipeline.name, number), artifacts);
      const version = await this.store.addModelVersion(
        {
          name: pipeline.name,
          runId: request.runId,
          inputSchema: predict.inputSchema,
          outputSchema: predict.outputSchema,
          metrics: request.metrics,
          trainingDataDigest: trainingDataDigest(request.inputs),
          inputs: request.inputs,
          predictCodeHash: predict.codeHash,
          ...(predictParameters === undefined ? {} : { predictParameters }),
        },
        number,
        artifacts.map((a, i): ModelArtifact => ({
          dataset: a.dataset,
          type: a.type,
          path: stored[i]!.location,
          sha256: a.sha256,
          ...(Object.keys(a.options).length === 0 ? {} : { options: a.options }),
          files: stored[i]!.files.map((f) => ({ path: f.location, sha256: f.sha256, size: f.size })),
        })),
      );
      await this.models.settle(key);
      return { version, created: true };
    } finally {
      await lock.release();
    }
  }

  /**
   * Refuses, before a run trains, a pipeline whose next version folder already holds files the tracking database does
   * not know (VersionFolderConflictError): registering would be refused after the training.
   */
  async checkNextVersionFree(model: string): Promise<void> {
    const number = ((await this.store.listModelVersions(model)).at(-1)?.version ?? 0) + 1;
    const key = `${model}/${number}`;
    const location = await this.models.taken(key);
    if (location !== undefined) throw versionFolderConflict(label(model, number), key, location);
  }

  /** Puts the run's artifact copies into the model store as `key`, checked against the hashes the run recorded. */
  private async putVersionFiles(
    runId: string,
    key: string,
    ref: string,
    artifacts: readonly RunArtifact[],
  ): Promise<Awaited<ReturnType<ArtifactStore["put"]>>> {
    try {
      return await this.models.put(
        key,
        artifacts.map((a) => ({ name: a.dataset, source: a.source, folder: a.folder, expected: a.files })),
      );
    } catch (error) {
      if (error instanceof ArtifactIntegrityError) {
        throw new ModelIntegrityError(
          `Run ${runId.slice(0, 8)}'s copy of \`${error.entry}\` (${error.source}) no longer has the sha256 the run recorded when it saved it: ` +
            `it was modified after the run. Run the pipeline again to register a model.`,
        );
      }
      if (error instanceof ArtifactKeyTakenError) throw versionFolderConflict(ref, key, error.location);
      throw error;
    }
  }

  /** The version a reference names. */
  async resolve(reference: string | ModelRef): Promise<ModelVersion> {
    const ref = typeof reference === "string" ? parseModelRef(reference) : reference;
    const versions = await this.store.listModelVersions(ref.name);
    if (versions.length === 0) {
      const names = (await this.store.listModels()).map((m) => m.name);
      throw new ModelNotFoundError(
        `No model \`${ref.name}\` is registered${didYouMeanHint(ref.name, names)}. ` +
          (names.length === 0
            ? "Run a pipeline with a predict cell to register one (cellforge run)."
            : `Registered models: ${names.join(", ")}.`),
      );
    }
    if (ref.kind === "latest") return versions.at(-1)!;
    if (ref.kind === "version") {
      const found = versions.find((v) => v.version === ref.version);
      if (found === undefined)
        throw new ModelNotFoundError(
          `Model \`${ref.name}\` has no version ${ref.version}; versions: ${versions.map((v) => v.version).join(", ")}.`,
        );
      return found;
    }
    const number = await this.store.getAlias(ref.name, ref.alias);
    if (number === undefined) {
      const aliases = [...new Set(versions.flatMap((v) => v.aliases))];
      throw new ModelNotFoundError(
        `Model \`${ref.name}\` has no alias @${ref.alias}; ` +
          (aliases.length === 0
            ? `it has none yet (cellforge models promote ${ref.name} VERSION --alias ${ref.alias}).`
            : `aliases: ${aliases.map((a) => `@${a}`).join(", ")}.`),
      );
    }
    return versions.find((v) => v.version === number)!;
  }

  /**
   * Points `alias` at `version`. Refused when the alias's current version has an input schema that
   * the new one breaks (removed, retyped or newly required fields), unless `force`.
   */
  async promote(
    name: string,
    version: number,
    alias: string,
    options: { force?: boolean } = {},
  ): Promise<{ version: ModelVersion; previous: number | undefined; changes: string[] }> {
    const target = await this.resolve({ name, kind: "version", version });
    const currentNumber = await this.store.getAlias(name, alias);
    let changes: string[] = [];
    if (currentNumber !== undefined && currentNumber !== version) {
      const current = (await this.store.getModelVersion(name, currentNumber))!;
      changes = breakingChanges(current.inputSchema, target.inputSchema);
      if (changes.length > 0 && options.force !== true)
        throw new BreakingSchemaError(name, version, alias, currentNumber, changes);
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
    return this.models.path(artifact.path);
  }

  /** Checks every file of `version` against the sha256 recorded at registration; throws ModelIntegrityError naming the file. */
  async verifyArtifacts(version: ModelVersion): Promise<void> {
    const ref = label(version.name, version.version);
    const [mismatch] = await this.models.verify(
      version.artifacts.flatMap((artifact) =>
        artifact.files.map((file) => ({ location: file.path, sha256: file.sha256 })),
      ),
    );
    if (mismatch === undefined) return;
    // Under a shared artifact root the file is named in full, so the reader knows which machine's mount to check.
    const file = this.models.root === this.root ? mismatch.location : this.models.path(mismatch.location);
    if (mismatch.actual === undefined) {
      throw new ModelIntegrityError(
        `Refusing to load ${ref}: its file ${file} is missing. Restore it, or register a new version (npx cellforge run ${version.name}) and serve that.`,
      );
    }
    throw new ModelIntegrityError(
      `Refusing to load ${ref}: ${file} does not have the sha256 recorded when ${ref} was registered ` +
        `(expected ${mismatch.expected}, found ${mismatch.actual}), so it was modified or corrupted. ` +
        `Restore the file, or register a new version (npx cellforge run ${version.name}) and serve that.`,
    );
  }

  /** Loads a version's artifacts with their dataset types (the project's: loadProjectSetup), keyed by dataset name (what predict.create takes), after checking their sha256. */
  async loadArtifacts(
    version: ModelVersion,
    types: DatasetTypes = builtinDatasetTypes(),
  ): Promise<Record<string, unknown>> {
    await this.verifyArtifacts(version);
    const loaded: Record<string, unknown> = {};
    for (const artifact of version.artifacts) {
      const type = types.get(artifact.type);
      if (type === undefined) {
        throw new RegistrationError(
          `Artifact \`${artifact.dataset}\` of ${label(version.name, version.version)} has dataset type \`${artifact.type}\`, which this project does not register ` +
            `(known: ${types.names().join(", ")}); export it from cellforge.hooks.ts as \`export const datasetTypes = { "${artifact.type}": … }\`.`,
        );
      }
      loaded[artifact.dataset] = await type
        .create(
          artifact.dataset,
          { ...artifact.options, type: artifact.type, path: artifact.path },
          // Locations are relative to the model store's root: the project, or a shared artifact root.
          { root: this.models.root, saveVersion: "" },
        )
        .load();
    }
    return loaded;
  }
}
