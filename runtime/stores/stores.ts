/**
 * The stores a project keeps its runs and models in, opened together from one URI: tracking (runs,
 * metrics, artifacts' records), the model registry, node states. A backend (SQLite today) opens all
 * three on its database; store-backends.ts picks the backend by the URI's scheme.
 */
import type { NodeStateStore } from "../pipeline/node-state.ts";
import type { RegistryStore } from "../registry/registry-store.ts";
import type { ProcessIdentity, TrackingStore } from "../tracking/store.ts";

/** The open stores of one URI; `close()` releases their connection. */
export interface Stores {
  /** The URI they were opened from. */
  readonly uri: string;
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  readonly nodeStates: NodeStateStore;
  close(): Promise<void>;
}

/** How a backend is asked to open its stores. */
export interface StoreOpenOptions {
  /** With it, every read of runs first marks KILLED the RUNNING runs whose process it says is gone. */
  reconcile?: (process: ProcessIdentity) => boolean | undefined;
}

/** One kind of database the stores can live in, keyed by URI scheme in store-backends.ts. */
export interface StoreBackend {
  /** Opens (creating and migrating if needed) the stores at `uri`, whose scheme is this backend's. */
  open(uri: string, options: StoreOpenOptions): Promise<Stores>;
}
