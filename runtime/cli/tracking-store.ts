/** Opens the project's tracking store for the read-side commands (runs, models). */
import type { ModelRegistry } from "../registry/model-registry.ts";
import type { TrackingStore } from "../tracking/store.ts";

/**
 * Runs `use` with the project's store and registry, closing them afterwards. The store's code (SQLite, YAML) loads on
 * first use, so that `cellforge --help` stays instant.
 */
export async function withProjectStore<T>(
  env: string | undefined,
  use: (store: TrackingStore, registry: ModelRegistry) => Promise<T>,
): Promise<T> {
  const [{ findProjectRoot }, { openProjectStore }] = await Promise.all([
    import("../config/project-root.ts"),
    import("../stores/project-stores.ts"),
  ]);
  const project = await openProjectStore(findProjectRoot(), env);
  try {
    return await use(project.store, project.registry);
  } finally {
    await project.close();
  }
}
