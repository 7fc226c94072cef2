/** The model registry's store interface and records; sqlite-registry-store.ts implements it. */
import type { JsonSchema } from "../pipeline/definition.ts";
import type { DatasetInputRecord, HeldLock } from "../tracking/store.ts";

/** One file of a registered model, as copied into the model store. */
export interface ModelFile {
  /** Relative to the project root. */
  path: string;
  sha256: string;
  size: number;
}

/** One catalog dataset the predictor needs, as stored with the model version. */
export interface ModelArtifact {
  dataset: string;
  /** Its catalog type (csv, json, tfjs-model…), to load it back. */
  type: string;
  /** What to give that dataset type as `path` (relative to the project root). */
  path: string;
  /** The entry's other options its type declares (e.g. load_args), as registered; credentials by name only. */
  options?: Record<string, unknown>;
  /** sha256 of the artifact (its file's hash, or a combined hash for a folder). */
  sha256: string;
  files: ModelFile[];
}

/** What registering a version records. */
export interface NewModelVersion {
  name: string;
  runId: string | undefined;
  inputSchema: JsonSchema;
  outputSchema: JsonSchema;
  metrics: Record<string, number>;
  /** sha256 over the names and digests of the datasets the run read. */
  trainingDataDigest: string | undefined;
  inputs: DatasetInputRecord[];
  /** sha256 of the predict module's code and the shared code it uses (PredictDefinition.codeHash); undefined when unknown. */
  predictCodeHash?: string | undefined;
  /** The training run's values of the parameters the predict code reads (PredictDefinition.parameters); undefined when it reads none. */
  predictParameters?: Record<string, unknown> | undefined;
}

/** A registered, immutable model version. */
export interface ModelVersion extends NewModelVersion {
  version: number;
  createdAt: number;
  artifacts: ModelArtifact[];
  /** Aliases pointing at this version. */
  aliases: string[];
}

/** A registered model and its aliases. */
export interface ModelSummary {
  name: string;
  latestVersion: number;
  versions: number;
  aliases: Record<string, number>;
  updatedAt: number;
}

/** Where model versions and aliases are kept. */
export interface RegistryStore {
  /**
   * Records version `version` of `record.name` with its artifacts (already in the artifact store);
   * throws ModelVersionTakenError when that version exists (registrations of a name hold its lock).
   */
  addModelVersion(record: NewModelVersion, version: number, artifacts: readonly ModelArtifact[]): Promise<ModelVersion>;
  getModelVersion(name: string, version: number): Promise<ModelVersion | undefined>;
  /** Versions of `name`, oldest first. */
  listModelVersions(name: string): Promise<ModelVersion[]>;
  listModels(): Promise<ModelSummary[]>;
  /** Points `alias` at `version`; returns the version it pointed at before. */
  setAlias(name: string, alias: string, version: number): Promise<number | undefined>;
  getAlias(name: string, alias: string): Promise<number | undefined>;
  /** Holds the named lock across every process using the store (waits for a live holder; takes over a dead one's). */
  lock(name: string): Promise<HeldLock>;
}
