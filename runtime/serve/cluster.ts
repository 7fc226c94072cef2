/**
 * `cellforge serve --workers N`: node:cluster runs N worker processes that share the port, each
 * with its own copy of the model (a TF.js call is single-threaded, so cores serve in parallel only
 * as processes). The primary forks and supervises them and relays what must reach all of them:
 * POST /admin/reload (every worker reloads) and GET /metrics (every worker's, aggregated by
 * prom-client's AggregatorRegistry).
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry } from "prom-client";
import { ServeError } from "./errors.ts";
import type { ModelServer, ModelServerOptions } from "./model-server.ts";
import type { ReloadOutcome } from "./routes/admin.ts";

/** Messages between the primary and its workers. */
type ClusterMessage =
  | { type: "cellforge:ready"; url: string; model: string }
  | { type: "cellforge:failed"; message: string }
  | { type: "cellforge:reload"; id: number }
  | { type: "cellforge:reload-now"; id: number }
  | { type: "cellforge:reloaded"; id: number; outcome?: ReloadOutcome; error?: { code: string; message: string; status: number } }
  | { type: "cellforge:reload-result"; id: number; outcomes: ReloadOutcome[]; error?: { code: string; message: string; status: number } }
  | { type: "cellforge:metrics"; id: number }
  | { type: "cellforge:metrics-result"; id: number; text?: string; error?: string };

function isMessage(value: unknown): value is ClusterMessage {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string" && (value as { type: string }).type.startsWith("cellforge:");
}

function send(target: Worker | NodeJS.Process, message: ClusterMessage): void {
  if (target === process) process.send?.(message);
  else (target as Worker).send(message);
}

/** What the primary reports. */
export interface PrimaryEvents {
  /** Every worker is listening with the model loaded. */
  ready(url: string, model: string): void;
  /** A line for the terminal. */
  log(line: string): void;
}

/** A worker that died within this long of starting counts as a crash loop. */
const CRASH_WINDOW_MS = 10_000;
const MAX_QUICK_CRASHES = 3;

/** Runs the primary: forks `workers` copies of this command, supervises them until SIGTERM/SIGINT; resolves to the exit code. */
export function runPrimary(workers: number, events: PrimaryEvents): Promise<number> {
  const aggregator = new AggregatorRegistry();
  const started = new Map<number, number>();
  let ready = 0;
  let announced = false;
  let stopping = false;
  let quickCrashes = 0;
  /** Reloads in progress, by the primary's id: who asked (and under which of its ids), and the answers so far. */
  const reloads = new Map<number, { from: Worker; requestId: number; pending: number; outcomes: ReloadOutcome[]; error?: { code: string; message: string; status: number } }>();
  let nextReload = 0;

  return new Promise((resolve) => {
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      if (alive.length === 0) resolve(code);
      for (const worker of alive) worker.process.kill("SIGTERM");
      cluster.on("exit", () => {
        if (Object.values(cluster.workers ?? {}).every((w) => w === undefined || w.isDead())) resolve(code);
      });
    };
    const fork = (): void => {
      const worker = cluster.fork();
      started.set(worker.id, Date.now());
      worker.on("message", (message: unknown) => {
        if (!isMessage(message)) return;
        switch (message.type) {
          case "cellforge:ready":
            ready++;
            if (!announced && ready >= workers) {
              announced = true;
              events.ready(message.url, message.model);
            }
            break;
          case "cellforge:failed":
            events.log(`worker ${worker.process.pid ?? "?"} could not start: ${message.message}`);
            stop(1);
            break;
          case "cellforge:reload": {
            const id = nextReload++;
            const targets = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
            reloads.set(id, { from: worker, requestId: message.id, pending: targets.length, outcomes: [] });
            for (const target of targets) send(target, { type: "cellforge:reload-now", id });
            break;
          }
          case "cellforge:reloaded": {
            const reload = reloads.get(message.id);
            if (reload === undefined) break;
            if (message.outcome !== undefined) reload.outcomes.push(message.outcome);
            if (message.error !== undefined) reload.error ??= message.error;
            if (--reload.pending === 0) {
              reloads.delete(message.id);
              send(reload.from, { type: "cellforge:reload-result", id: reload.requestId, outcomes: reload.outcomes, ...(reload.error === undefined ? {} : { error: reload.error }) });
            }
            break;
          }
          case "cellforge:metrics":
            aggregator.clusterMetrics().then(
              (text) => send(worker, { type: "cellforge:metrics-result", id: message.id, text }),
              (error: unknown) => send(worker, { type: "cellforge:metrics-result", id: message.id, error: error instanceof Error ? error.message : String(error) }),
            );
            break;
        }
      });
    };
    cluster.on("exit", (worker, code, signal) => {
      if (stopping) return;
      const lived = Date.now() - (started.get(worker.id) ?? 0);
      events.log(`worker ${worker.process.pid ?? "?"} exited (${signal ?? `code ${code}`}); starting another.`);
      if (lived < CRASH_WINDOW_MS && ++quickCrashes >= MAX_QUICK_CRASHES) {
        events.log(`workers keep dying within ${CRASH_WINDOW_MS / 1000} s of starting; giving up.`);
        stop(1);
        return;
      }
      fork();
    });
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        events.log(`${signal}: draining the workers' requests in flight…`);
        stop(0);
      });
    }
    for (let i = 0; i < workers; i++) fork();
  });
}

let nextId = 0;

/** A request from a worker to the primary, answered by message id. */
function askPrimary<T extends ClusterMessage>(request: (id: number) => ClusterMessage, answerType: T["type"], timeoutMs: number): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", listener);
      reject(new ServeError("CLUSTER_TIMEOUT", `The primary process did not answer within ${timeoutMs / 1000} s.`, 504));
    }, timeoutMs);
    const listener = (message: unknown): void => {
      if (isMessage(message) && message.type === answerType && "id" in message && message.id === id) {
        clearTimeout(timer);
        process.off("message", listener);
        resolve(message as T);
      }
    };
    process.on("message", listener);
    send(process, request(id));
  });
}

/** The hooks a worker's server uses to reach every worker through the primary. */
export function workerClusterHooks(): NonNullable<ModelServerOptions["cluster"]> {
  return {
    async reload() {
      const answer = await askPrimary<Extract<ClusterMessage, { type: "cellforge:reload-result" }>>((id) => ({ type: "cellforge:reload", id }), "cellforge:reload-result", 300_000);
      if (answer.error !== undefined) throw new ServeError(answer.error.code, answer.error.message, answer.error.status);
      const first = answer.outcomes[0];
      const reloaded = answer.outcomes.some((o) => o.reloaded);
      return {
        reloaded,
        from: first?.from,
        to: first?.to ?? "",
        message: `${answer.outcomes.length} workers: ${first?.message ?? ""}`,
        workers: answer.outcomes,
      };
    },
    async exposition() {
      const answer = await askPrimary<Extract<ClusterMessage, { type: "cellforge:metrics-result" }>>((id) => ({ type: "cellforge:metrics", id }), "cellforge:metrics-result", 10_000);
      if (answer.text === undefined) throw new ServeError("CLUSTER_METRICS", `Could not collect the workers' metrics: ${answer.error ?? "no answer"}.`, 500);
      return answer.text;
    },
  };
}

/** Wires a worker's server into the cluster: reports readiness, answers reload broadcasts and metrics requests. */
export function joinCluster(server: ModelServer): void {
  new AggregatorRegistry(); // installs prom-client's worker-side listener
  AggregatorRegistry.setRegistries([server.serving.metrics.registry]);
  process.on("message", (message: unknown) => {
    if (!isMessage(message) || message.type !== "cellforge:reload-now") return;
    server.reload().then(
      (outcome) => send(process, { type: "cellforge:reloaded", id: message.id, outcome }),
      (error: unknown) => {
        const failure = error instanceof ServeError ? { code: error.code, message: error.message, status: error.statusCode } : { code: "RELOAD_FAILED", message: String(error), status: 500 };
        send(process, { type: "cellforge:reloaded", id: message.id, error: failure });
      },
    );
  });
}

/** Tells the primary this worker serves `model` at `url`, or could not start. */
export function reportToPrimary(result: { url: string; model: string } | { failed: string }): void {
  send(process, "failed" in result ? { type: "cellforge:failed", message: result.failed } : { type: "cellforge:ready", ...result });
}

/** Closes the channel to the primary, so that a drained worker's process can end. */
export function leaveCluster(): void {
  if (process.connected) process.disconnect();
}

/** Whether this process is a worker forked by `runPrimary`. */
export const isClusterWorker = (): boolean => cluster.isWorker;
