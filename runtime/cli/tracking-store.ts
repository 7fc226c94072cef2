/** Opens the project's tracking store for the read-side commands (runs, models). */
import { loadProjectConfig, DEFAULT_ENV } from "../config/config-loader.ts";
import { findProjectRoot } from "../config/project-root.ts";
import { ModelRegistry } from "../registry/model-registry.ts";
import { SqliteRegistryStore } from "../registry/sqlite-registry-store.ts";
import { openTrackingStore, trackingSettings } from "../tracking/open-store.ts";
import type { SqliteTrackingStore } from "../tracking/sqlite-store.ts";

/** Runs `use` with the project's store and registry, closing them afterwards. */
export async function withProjectStore<T>(env: string | undefined, use: (store: SqliteTrackingStore, registry: ModelRegistry) => Promise<T>): Promise<T> {
  const root = findProjectRoot();
  const settings = trackingSettings(root, loadProjectConfig(root, env ?? DEFAULT_ENV).tracking);
  const store = await openTrackingStore(settings);
  try {
    return await use(store, new ModelRegistry(new SqliteRegistryStore(store.db), root, settings.modelsPath));
  } finally {
    await store.close();
  }
}
