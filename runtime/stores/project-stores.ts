/**
 * Opens the project's stores and model registry as CELLFORGE_TRACKING_URI or conf/<env>/tracking.yml
 * configures them: the one way every command, the server, the UI and `start` open them.
 */
import { loadProjectConfig, DEFAULT_ENV, type ProjectConfig } from "../config/config-loader.ts";
import { findProjectRoot } from "../config/project-root.ts";
import type { NodeStateStore } from "../pipeline/node-state.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { checkArtifactRoot, modelArtifactStore } from "../tracking/artifact-root.ts";
import type { TrackingStore } from "../tracking/store.ts";
import { trackingSettings, type TrackingSettings } from "../tracking/tracking-settings.ts";
import { openStores } from "./store-backends.ts";

export { ModelRegistry } from "../registry/model-registry.ts";
export { parseModelRef, formatModelRef, type ModelRef } from "../registry/model-ref.ts";
export type { ModelVersion, ModelArtifact, ModelSummary } from "../registry/registry-store.ts";
export { ArtifactRootMissingError } from "../tracking/artifact-root.ts";
export {
  ModelNotFoundError,
  BreakingSchemaError,
  RegistryError,
  ModelIntegrityError,
  VersionFolderConflictError,
} from "../registry/errors.ts";

/** An open registry; `close()` releases the database. */
export interface OpenRegistry {
  registry: ModelRegistry;
  root: string;
  close(): Promise<void>;
}

/** The project's open stores with the registry over them, and the configuration they came from. */
export interface ProjectStore extends OpenRegistry {
  config: ProjectConfig;
  settings: TrackingSettings;
  store: TrackingStore;
  nodeStates: NodeStateStore;
}

/** Opens the stores and registry of the project at `root` (its configuration for `env`, unless already loaded); a configured artifact root that is missing is refused first. */
export async function openProjectStore(
  root: string,
  env: string = DEFAULT_ENV,
  config: ProjectConfig = loadProjectConfig(root, env),
): Promise<ProjectStore> {
  const settings = trackingSettings(root, config.tracking);
  await checkArtifactRoot(settings.artifactRoot);
  const stores = await openStores(settings.uri);
  const registry = new ModelRegistry(stores.registry, root, modelArtifactStore(root, settings), settings.artifactsPath);
  return {
    root,
    config,
    settings,
    store: stores.tracking,
    nodeStates: stores.nodeStates,
    registry,
    close: () => stores.close(),
  };
}

/** Opens the registry of the project around `cwd`. */
export function openProjectRegistry(options: { cwd?: string; env?: string } = {}): Promise<OpenRegistry> {
  return openProjectStore(findProjectRoot(options.cwd), options.env ?? DEFAULT_ENV);
}
