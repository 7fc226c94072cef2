/** Opens the project's tracking store and model registry, as conf/<env>/tracking.yml configures them: the one way every command, the server, the UI and `start` open them. */
import { loadProjectConfig, DEFAULT_ENV, type ProjectConfig } from "../config/config-loader.ts";
import { findProjectRoot } from "../config/project-root.ts";
import { openTrackingStore, trackingSettings, type TrackingSettings } from "../tracking/open-store.ts";
import type { SqliteTrackingStore } from "../tracking/sqlite-store.ts";
import { ModelRegistry } from "./model-registry.ts";
import { SqliteRegistryStore } from "./sqlite-registry-store.ts";

export { ModelRegistry } from "./model-registry.ts";
export { parseModelRef, formatModelRef, type ModelRef } from "./model-ref.ts";
export type { ModelVersion, ModelArtifact, ModelSummary } from "./registry-store.ts";
export { ModelNotFoundError, BreakingSchemaError, RegistryError, ModelIntegrityError, VersionFolderConflictError } from "./errors.ts";

/** An open registry; `close()` releases the database. */
export interface OpenRegistry {
  registry: ModelRegistry;
  root: string;
  close(): Promise<void>;
}

/** An open tracking store with the registry on the same database, and the configuration they came from. */
export interface ProjectStore extends OpenRegistry {
  config: ProjectConfig;
  settings: TrackingSettings;
  store: SqliteTrackingStore;
}

/** Opens the tracking store and registry of the project at `root` (its configuration for `env`, unless already loaded). */
export async function openProjectStore(root: string, env: string = DEFAULT_ENV, config: ProjectConfig = loadProjectConfig(root, env)): Promise<ProjectStore> {
  const settings = trackingSettings(root, config.tracking);
  const store = await openTrackingStore(settings);
  const registry = new ModelRegistry(new SqliteRegistryStore(store.db), root, settings.modelsPath, settings.artifactsPath);
  return { root, config, settings, store, registry, close: () => store.close() };
}

/** Opens the registry of the project around `cwd`. */
export function openProjectRegistry(options: { cwd?: string; env?: string } = {}): Promise<OpenRegistry> {
  return openProjectStore(findProjectRoot(options.cwd), options.env ?? DEFAULT_ENV);
}
