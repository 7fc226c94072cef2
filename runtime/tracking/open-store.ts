/** Opens the project's tracking store as conf/<env>/tracking.yml says (default .cellforge/tracking.db) and reaps abandoned runs. */
import { resolve } from "node:path";
import type { ConfigMapping } from "../config/config-loader.ts";
import { ConfigError } from "../config/errors.ts";
import { isProcessAlive } from "./process-identity.ts";
import { SqliteTrackingStore } from "./sqlite-store.ts";

/** Where the store lives unless tracking.yml says otherwise, relative to the project root. */
export const DEFAULT_TRACKING_PATH = ".cellforge/tracking.db";

/** Where registered models are copied unless tracking.yml says otherwise. */
export const DEFAULT_MODELS_PATH = ".cellforge/models";

/** Where each run keeps its own copy of the files it saved, unless tracking.yml says otherwise. */
export const DEFAULT_ARTIFACTS_PATH = ".cellforge/artifacts";

/** The tracking settings of tracking.yml, checked. */
export interface TrackingSettings {
  /** Absolute path of the SQLite file. */
  path: string;
  /** Absolute path of the model store. */
  modelsPath: string;
  /** Absolute path of the runs' own artifact copies (one folder per run). */
  artifactsPath: string;
  /** Experiment runs are filed under (default: the pipeline's name). */
  experiment: string | undefined;
}

function optionalString(config: ConfigMapping, key: string): string | undefined {
  const value = config[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") throw new ConfigError(`tracking.yml: \`${key}\` must be a non-empty string.`);
  return value;
}

/** Reads tracking.yml's settings (path, models, artifacts, experiment). */
export function trackingSettings(root: string, config: ConfigMapping): TrackingSettings {
  const known = ["path", "models", "artifacts", "experiment"];
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new ConfigError(`tracking.yml has unknown key(s) ${unknown.join(", ")}; known: ${known.join(", ")}.`);
  return {
    path: resolve(root, optionalString(config, "path") ?? DEFAULT_TRACKING_PATH),
    modelsPath: resolve(root, optionalString(config, "models") ?? DEFAULT_MODELS_PATH),
    artifactsPath: resolve(root, optionalString(config, "artifacts") ?? DEFAULT_ARTIFACTS_PATH),
    experiment: optionalString(config, "experiment"),
  };
}

/** Opens the store; every read marks KILLED the runs whose process died without ending them. */
export async function openTrackingStore(settings: TrackingSettings): Promise<SqliteTrackingStore> {
  const store = SqliteTrackingStore.open(settings.path, { reconcile: isProcessAlive });
  await store.markAbandonedRuns(isProcessAlive);
  return store;
}
