/**
 * The tracking settings of conf/<env>/tracking.yml: where the stores are (a tracking URI, or the
 * SQLite `path` as before), where model versions and the runs' artifact copies go, and the experiment.
 * `CELLFORGE_TRACKING_URI` in the environment overrides the file's store location.
 */
import { isAbsolute, resolve } from "node:path";
import type { ConfigMapping } from "../config/config-loader.ts";
import { ConfigError } from "../config/errors.ts";

/** Where the store lives unless tracking.yml says otherwise, relative to the project root. */
export const DEFAULT_TRACKING_PATH = ".cellforge/tracking.db";

/** Where registered models are copied unless tracking.yml says otherwise. */
export const DEFAULT_MODELS_PATH = ".cellforge/models";

/** Where each run keeps its own copy of the files it saved, unless tracking.yml says otherwise. */
export const DEFAULT_ARTIFACTS_PATH = ".cellforge/artifacts";

/** The environment variable that names the stores' URI, over tracking.yml (as MLflow's MLFLOW_TRACKING_URI). */
export const TRACKING_URI_VARIABLE = "CELLFORGE_TRACKING_URI";

/** The tracking settings of tracking.yml, checked. */
export interface TrackingSettings {
  /** The stores' URI, e.g. `sqlite:/abs/path/tracking.db` (relative SQLite paths already resolved against the project root). */
  uri: string;
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
  if (typeof value !== "string" || value === "")
    throw new ConfigError(`tracking.yml: \`${key}\` must be a non-empty string.`);
  return value;
}

/** The file path of a SQLite URI as written: `sqlite:PATH`, or SQLAlchemy's and MLflow's `sqlite:///PATH` (relative) and `sqlite:////PATH` (absolute). */
export function sqliteUriPath(uri: string): string {
  let rest = uri.replace(/^sqlite:/i, "");
  if (rest.startsWith("//")) rest = rest.slice(2).replace(/^\//, "");
  return rest;
}

/** `uri` with a relative SQLite path made absolute against `root`; other URIs as given. */
export function resolveTrackingUri(root: string, uri: string): string {
  if (!/^sqlite:/i.test(uri)) return uri;
  const path = sqliteUriPath(uri);
  if (path === "" || path === ":memory:") return `sqlite:${path}`;
  return `sqlite:${isAbsolute(path) ? path : resolve(root, path)}`;
}

/** Reads tracking.yml's settings (uri or path, models, artifacts, experiment); `environment` (default process.env) may name the URI instead. */
export function trackingSettings(
  root: string,
  config: ConfigMapping,
  environment: NodeJS.ProcessEnv = process.env,
): TrackingSettings {
  const known = ["uri", "path", "models", "artifacts", "experiment"];
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  if (unknown.length > 0)
    throw new ConfigError(`tracking.yml has unknown key(s) ${unknown.join(", ")}; known: ${known.join(", ")}.`);
  const uri = optionalString(config, "uri");
  const path = optionalString(config, "path");
  if (uri !== undefined && path !== undefined) {
    throw new ConfigError(
      `tracking.yml gives both \`uri\` and \`path\`: keep one (\`path: FILE\` is the same as \`uri: sqlite:FILE\`).`,
    );
  }
  const fromEnvironment = environment[TRACKING_URI_VARIABLE]?.trim();
  const chosen =
    fromEnvironment !== undefined && fromEnvironment !== ""
      ? fromEnvironment
      : (uri ?? `sqlite:${path ?? DEFAULT_TRACKING_PATH}`);
  return {
    uri: resolveTrackingUri(root, chosen),
    modelsPath: resolve(root, optionalString(config, "models") ?? DEFAULT_MODELS_PATH),
    artifactsPath: resolve(root, optionalString(config, "artifacts") ?? DEFAULT_ARTIFACTS_PATH),
    experiment: optionalString(config, "experiment"),
  };
}
