/** Where the server is in its life — loading the model, ready, failed to load, or draining — for GET /ready and /ping. */

/** The server's phase. */
export type Phase = "loading" | "ready" | "failed" | "closing";

/** The last reload's outcome, as /ready and /model report it. */
export interface ReloadRecord {
  at: string;
  outcome: "swapped" | "unchanged" | "failed";
  message: string;
}

/** Mutable server status shared by the routes. */
export class ServerState {
  phase: Phase = "loading";
  /** Why loading failed, when phase is "failed". */
  failure: string | undefined;
  lastReload: ReloadRecord | undefined;

  /** Whether requests can be answered: the model is loaded and the server is not draining. */
  get ready(): boolean {
    return this.phase === "ready";
  }
}
