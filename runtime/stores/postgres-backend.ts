/** The PostgreSQL backend (`postgresql://` or `postgres://`): the tracking, registry and node-state stores of a team, in one database. */
import { PostgresRegistryStore } from "../registry/postgres-registry-store.ts";
import { PostgresDatabase } from "../tracking/postgres-database.ts";
import { PostgresLocks } from "../tracking/postgres-locks.ts";
import { PostgresNodeStateStore } from "../tracking/postgres-node-state-store.ts";
import { PostgresTrackingStore } from "../tracking/postgres-store.ts";
import { currentProcess } from "../tracking/process-identity.ts";
import type { StoreBackend, Stores } from "./stores.ts";

/** Connects to the database a PostgreSQL URI names (credentials from it or the PG* variables), migrating it if needed. */
export const postgresBackend: StoreBackend = {
  async open(uri, options): Promise<Stores> {
    const db = await PostgresDatabase.open(uri);
    const locks = new PostgresLocks(db, currentProcess());
    let closed = false;
    return {
      uri,
      tracking: new PostgresTrackingStore(db, locks, options.reconcile),
      registry: new PostgresRegistryStore(db, locks),
      nodeStates: new PostgresNodeStateStore(db),
      close: async () => {
        if (closed) return;
        closed = true;
        await db.close();
      },
    };
  },
};
