/**
 * The tracking context that pipeline code and notebook cells log through: `log` and `logMetric`
 * go to the active run when a node runs under the runner, and simply print when there is none,
 * so the same cell works in a notebook.
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** Where a running node's logs and metrics go. */
export interface RunScope {
  readonly runId: string | undefined;
  readonly node: string | undefined;
  logMetric(name: string, value: number, step?: number): void;
  log(level: "info" | "warn", message: string): void;
  /** A terminal-only progress line (e.g. one per training epoch), not recorded. */
  progress(message: string): void;
}

// One store per process even if this module is loaded twice (two copies of the package).
const key = Symbol.for("cellforge.tracking.scope");
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<RunScope> | undefined>;
const storage = (holder[key] ??= new AsyncLocalStorage<RunScope>());

/** Runs `fn` with `scope` as the active run scope for everything it calls, awaited or not. */
export function withRunScope<T>(scope: RunScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** The scope of the node running in this async context, if any. */
export function currentRunScope(): RunScope | undefined {
  return storage.getStore();
}

/** Logs a message to the active run (or prints it outside a run). */
export const log = {
  /** An informational message. */
  info(message: string): void {
    const scope = currentRunScope();
    if (scope === undefined) console.log(message);
    else scope.log("info", message);
  },
  /** A warning. */
  warn(message: string): void {
    const scope = currentRunScope();
    if (scope === undefined) console.warn(message);
    else scope.log("warn", message);
  },
};

/** Records metric `name` (at `step`, e.g. an epoch) in the active run, or prints it outside a run. */
export function logMetric(name: string, value: number, step?: number): void {
  const scope = currentRunScope();
  if (scope === undefined) console.log(`${name} = ${value}${step === undefined ? "" : ` (step ${step})`}`);
  else scope.logMetric(name, value, step);
}
