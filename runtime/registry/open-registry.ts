/** Opens the project's model registry (what `cellforge serve` and `cellforge models` use). */
import { loadProjectConfig, DEFAULT_ENV } from "../config/config-loader.ts";
import { findProjectRoot } from "../config/project-root.ts";
import { openTrackingStore, trackingSettings } from "../tracking/open-store.ts";
import { ModelRegistry } from "./model-registry.ts";
import { SqliteRegistryStore } from "./sqlite-registry-store.ts";

export { ModelRegistry } from "./model-registry.ts";
export { parseModelRef, formatModelRef, type ModelRef } from "./model-ref.ts";
export type { ModelVersion, ModelArtifact, ModelSummary } from "./registry-store.ts";
export { ModelNotFoundError, BreakingSchemaError, RegistryError } from "./errors.ts";

/** An open registry; `close()` releases the database. */
export interface OpenRegistry {
  registry: ModelRegistry;
  root: string;
  close(): Promise<void>;
}

/** Opens the registry of the project around `cwd`, as conf/<env>/tracking.yml configures it. */
export async function openProjectRegistry(options: { cwd?: string; env?: string } = {}): Promise<OpenRegistry> {
  const root = findProjectRoot(options.cwd);
  const config = loadProjectConfig(root, options.env ?? DEFAULT_ENV);
  const settings = trackingSettings(root, config.tracking);
  const store = await openTrackingStore(settings);
  const registry = new ModelRegistry(new SqliteRegistryStore(store.db), root, settings.modelsPath);
  return { registry, root, close: () => store.close() };
}
