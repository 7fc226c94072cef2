/**
 * The tracking settings of conf/<env>/tracking.yml: where the stores are (a tracking URI, or the
 * SQLite `path` as before), where model versions and the runs' artifact copies go (or a shared
 * artifact root, `artifacts: { root: PATH }`), and the experiment. `CELLFORGE_TRACKING_URI` and
 * `CELLFORGE_ARTIFACT_ROOT` in the environment override the file's store location and artifact root.
 */
import { isAbsolute, join, resolve } from "node:path";
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

/** The environment variable that names the shared artifact root, over tracking.yml's `artifacts.root`. */
export const ARTIFACT_ROOT_VARIABLE = "CELLFORGE_ARTIFACT_ROOT";

/** Where model versions go under a shared artifact root. */
export const ROOT_MODELS_FOLDER = "models";

/** A shared artifact root (a network mount) the team's model versions live in, and where it was set. */
export interface ArtifactRoot {
  /** Absolute path (a relative one is resolved against the project root). */
  path: string;
  /** Where it was set, for messages: the environment variable or the tracking.yml key. */
  setBy: string;
}

/** The tracking settings of tracking.yml, checked. */
export interface TrackingSettings {
  /** The stores' URI, e.g. `sqlite:/abs/path/tracking.db` (relative SQLite paths already resolved against the project root). */
  uri: string;
  /** Absolute path of the model store (`<artifact root>/models` when a root is set). */
  modelsPath: string;
  /** The shared artifact root, when one is set; model versions' locations are then relative to it. */
  artifactRoot: ArtifactRoot | undefined;
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

/** tracking.yml's `artifacts`: the runs' copies folder (`artifacts: PATH`, as before) and the shared root (`artifacts: { root: PATH, runs: PATH }`). */
function artifactsSetting(config: ConfigMapping): { runs: string | undefined; root: string | undefined } {
  const value = config["artifacts"];
  if (value === null || value === undefined || typeof value === "string")
    return { runs: optionalString(config, "artifacts"), root: undefined };
  if (typeof value !== "object" || Array.isArray(value))
    throw new ConfigError(
      "tracking.yml: `artifacts` must be a folder path (the runs' own copies) or a mapping `{ root: PATH }` (a shared artifact root).",
    );
  const mapping = value as ConfigMapping;
  const unknown = Object.keys(mapping).filter((k) => k !== "root" && k !== "runs");
  if (unknown.length > 0)
    throw new ConfigError(`tracking.yml: \`artifacts\` has unknown key(s) ${unknown.join(", ")}; known: root, runs.`);
  const field = (key: string): string | undefined => {
    try {
      return optionalString(mapping, key);
    } catch {
      throw new ConfigError(`tracking.yml: \`artifacts.${key}\` must be a non-empty string (a folder path).`);
    }
  };
  return { runs: field("runs"), root: field("root") };
}

/** Reads tracking.yml's settings (uri or path, models, artifacts, experiment); `environment` (default process.env) may name the URI and the artifact root instead. */
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
  const artifacts = artifactsSetting(config);
  const rootFromEnvironment = environment[ARTIFACT_ROOT_VARIABLE]?.trim();
  const artifactRoot: ArtifactRoot | undefined =
    rootFromEnvironment !== undefined && rootFromEnvironment !== ""
      ? { path: resolve(root, rootFromEnvironment), setBy: `the ${ARTIFACT_ROOT_VARIABLE} environment variable` }
      : artifacts.root !== undefined
        ? { path: resolve(root, artifacts.root), setBy: "`artifacts.root` in conf/<env>/tracking.yml" }
        : undefined;
  return {
    uri: resolveTrackingUri(root, chosen),
    modelsPath:
      artifactRoot === undefined
        ? resolve(root, optionalString(config, "models") ?? DEFAULT_MODELS_PATH)
        : join(artifactRoot.path, ROOT_MODELS_FOLDER),
    artifactRoot,
    artifactsPath: resolve(root, artifacts.runs ?? DEFAULT_ARTIFACTS_PATH),
    experiment: optionalString(config, "experiment"),
  };
}
