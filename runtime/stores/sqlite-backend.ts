/** The SQLite backend: the tracking, registry and node-state stores in one SQLite file (the default, `sqlite:PATH`). */
import { SqliteRegistryStore } from "../registry/sqlite-registry-store.ts";
import { openSqliteDatabase } from "../tracking/sqlite-database.ts";
import { SqliteNodeStateStore } from "../tracking/sqlite-node-state-store.ts";
import { SqliteTrackingStore } from "../tracking/sqlite-store.ts";
import { sqliteUriPath } from "../tracking/tracking-settings.ts";
import type { StoreBackend, Stores } from "./stores.ts";

/** Opens the SQLite file a `sqlite:` URI names (an absolute path, or `:memory:`). */
export const sqliteBackend: StoreBackend = {
  async open(uri, options): Promise<Stores> {
    const db = openSqliteDatabase(sqliteUriPath(uri));
    return {
      uri,
      tracking: new SqliteTrackingStore(db, false, options.reconcile),
      registry: new SqliteRegistryStore(db),
      nodeStates: new SqliteNodeStateStore(db),
      close: async () => {
        if (db.open) db.close();
      },
    };
  },
};
