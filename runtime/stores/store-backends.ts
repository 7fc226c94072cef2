/**
 * The store backends by URI scheme, and `openStores`, the one way to open them. A new backend
 * (PostgreSQL) is a file implementing StoreBackend plus its line here; it is imported only when a
 * URI of its scheme is opened, so its driver never loads for the others.
 */
import { isProcessAlive } from "../tracking/process-identity.ts";
import { maskUri } from "../tracking/masked-uri.ts";
import type { StoreBackend, StoreOpenOptions, Stores } from "./stores.ts";

const backends: Readonly<Record<string, () => Promise<StoreBackend>>> = {
  sqlite: async () => (await import("./sqlite-backend.ts")).sqliteBackend,
  postgresql: async () => (await import("./postgres-backend.ts")).postgresBackend,
  postgres: async () => (await import("./postgres-backend.ts")).postgresBackend,
};

/** The URI schemes there is a backend for. */
export function supportedSchemes(): string[] {
  return Object.keys(backends);
}

/** A tracking URI no backend opens. */
export class UnsupportedTrackingUriError extends Error {
  readonly code = "TRACKING_URI_UNSUPPORTED";
  constructor(uri: string, scheme: string | undefined) {
    const shown = maskUri(uri);
    const supported = supportedSchemes()
      .map((s) => `${s}:`)
      .join(", ");
    super(
      `${scheme === undefined ? `The tracking URI \`${shown}\` has no scheme` : `No store backend for \`${scheme}:\` (tracking URI \`${shown}\`)`}; supported: ${supported}. ` +
        `Set CELLFORGE_TRACKING_URI or \`uri\` in conf/<env>/tracking.yml to e.g. sqlite:.cellforge/tracking.db (a path relative to the project).`,
    );
    this.name = "UnsupportedTrackingUriError";
  }
}

/** The scheme of `uri` in lower case (`sqlite`, `postgresql`), or undefined when it has none. */
export function uriScheme(uri: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
}

/**
 * Opens the stores `uri` names with the backend of its scheme, and marks KILLED the runs whose
 * process died without ending them; with `reconcile` (default: yes), every later read does too.
 */
export async function openStores(
  uri: string,
  options: { reconcile?: StoreOpenOptions["reconcile"] | false } = {},
): Promise<Stores> {
  const scheme = uriScheme(uri);
  const backend = scheme !== undefined && Object.hasOwn(backends, scheme) ? backends[scheme] : undefined;
  if (backend === undefined) throw new UnsupportedTrackingUriError(uri, scheme);
  const reconcile = options.reconcile === false ? undefined : (options.reconcile ?? isProcessAlive);
  const stores = await (await backend()).open(uri, reconcile === undefined ? {} : { reconcile });
  try {
    await stores.tracking.markAbandonedRuns(isProcessAlive);
  } catch (error) {
    await stores.close();
    throw error;
  }
  return stores;
}
