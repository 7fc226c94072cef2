/**
 * `cellforge serve --workers N`: node:cluster runs N worker processes, each with its own copy of
 * the model (a TF.js call is single-threaded, so cores serve in parallel only as processes). The
 * primary listens on the port itself and hands each connection to the worker with the fewest
 * connections not yet taken up, so that on SIGTERM/SIGINT it can stop accepting at once (a new
 * connect is refused) while every connection it accepted is still served: with node:cluster's
 * shared port, connections the primary had accepted but not yet handed over were reset when the
 * workers closed. It supervises the workers and relays what must reach all of them: the drain,
 * POST /admin/reload (every worker reloads) and GET /metrics (every worker's, aggregated by
 * prom-client's AggregatorRegistry).
 */
import cluster, { type Worker } from "node:cluster";
import { createServer, Socket } from "node:net";
import { AggregatorRegistry } from "prom-client";
import { ServeError } from "./errors.ts";
import type { ModelServer, ModelServerOptions } from "./model-server.ts";
import type { ReloadOutcome } from "./routes/admin.ts";

/** Messages between the primary and its workers. */
type ClusterMessage =
  | { type: "cellforge:opened"; host: string; port: number }
  | { type: "cellforge:connection" }
  | { type: "cellforge:accepted" }
  | { type: "cellforge:drain" }
  | { type: "cellforge:leaving" }
  | { type: "cellforge:ready"; model: string }
  | { type: "cellforge:failed"; message: string }
  | { type: "cellforge:reload"; id: number }
  | { type: "cellforge:reload-now"; id: number }
  | {
      type: "cellforge:reloaded";
      id: number;
      outcome?: ReloadOutcome;
      error?: { code: string; message: string; status: number };
    }
  | {
      type: "cellforge:reload-result";
      id: number;
      outcomes: ReloadOutcome[];
      error?: { code: string; message: string; status: number };
    }
  | { type: "cellforge:metrics"; id: number }
  | { type: "cellforge:metrics-result"; id: number; text?: string; error?: string };

function isMessage(value: unknown): value is ClusterMessage {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { type?: unknown }).type === "string" &&
    (value as { type: string }).type.startsWith("cellforge:")
  );
}

function send(target: Worker | NodeJS.Process, message: ClusterMessage): void {
  if (target === process) process.send?.(message);
  else (target as Worker).send(message);
}

/** What the primary reports. */
export interface PrimaryEvents {
  /** Every worker is serving with the model loaded; the primary listens at `url`. */
  ready(url: string, model: string): void;
  /** A line for the terminal. */
  log(line: string): void;
}

/** A worker that died within this long of starting counts as a crash loop. */
const CRASH_WINDOW_MS = 10_000;
const MAX_QUICK_CRASHES = 3;

/** Runs the primary: forks `workers` copies of this command, listens and hands connections to them, supervises them until SIGTERM/SIGINT; resolves to the exit code. */
export function runPrimary(workers: number, events: PrimaryEvents): Promise<number> {
  const aggregator = new AggregatorRegistry();
  const started = new Map<number, number>();
  /** Workers that can take connections, with how many handed to them are not yet taken up. */
  const serving = new Map<number, { worker: Worker; pending: number }>();
  let ready = 0;
  let url: string | undefined;
  let model: string | undefined;
  let announced = false;
  let stopping = false;
  let quickCrashes = 0;
  let turn = 0;
  /** Reloads in progress, by the primary's id: who asked (and under which of its ids), and the answers so far. */
  const reloads = new Map<
    number,
    {
      from: Worker;
      requestId: number;
      pending: number;
      outcomes: ReloadOutcome[];
      error?: { code: string; message: string; status: number };
    }
  >();
  let nextReload = 0;

  /** Sockets are accepted paused, so that no byte is read here before a worker takes the connection. */
  const listener = createServer({ pauseOnConnect: true }, (socket) => handOff(socket, serving.size));
  /** Hands `socket` to the serving worker with the fewest connections not yet taken up (in turn among equals). */
  const handOff = (socket: Socket, triesLeft: number): void => {
    const candidates = [...serving.values()].filter((s) => s.worker.isConnected());
    if (candidates.length === 0 || triesLeft <= 0) {
      socket.destroy();
      return;
    }
    const least = Math.min(...candidates.map((c) => c.pending));
    const equals = candidates.filter((c) => c.pending === least);
    const target = equals[turn++ % equals.length]!;
    target.pending++;
    target.worker.send(
      { type: "cellforge:connection" } satisfies ClusterMessage,
      socket,
      { keepOpen: false },
      (error) => {
        if (error === null) return;
        target.pending--;
        handOff(socket, triesLeft - 1);
      },
    );
  };
  const announce = (): void => {
    if (!announced && url !== undefined && model !== undefined && ready >= workers) {
      announced = true;
      events.ready(url, model);
    }
  };

  return new Promise((resolve) => {
    let exitCode = 0;
    const finishIfAllDead = (): void => {
      if (stopping && Object.values(cluster.workers ?? {}).every((w) => w === undefined || w.isDead()))
        resolve(exitCode);
    };
    /** Stops accepting at once (connects are refused from now on), then has every worker drain. */
    const stop = (code: number): void => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      // Connections the kernel has already completed are accepted (in this loop turn's poll phase)
      // and handed over before the listening socket closes: closing it would reset them.
      setImmediate(() => {
        if (listener.listening) listener.close();
        // Sockets handed over before this message reach each worker before it (one ordered channel).
        for (const worker of Object.values(cluster.workers ?? {})) {
          if (worker === undefined || worker.isDead()) continue;
          if (worker.isConnected()) worker.send({ type: "cellforge:drain" } satisfies ClusterMessage);
          else worker.process.kill("SIGTERM");
        }
        finishIfAllDead();
      });
    };
    const fork = (): void => {
      const worker = cluster.fork();
      started.set(worker.id, Date.now());
      worker.on("message", (message: unknown) => {
        if (!isMessage(message)) return;
        switch (message.type) {
          case "cellforge:opened":
            if (stopping) break;
            serving.set(worker.id, { worker, pending: 0 });
            if (!listener.listening && url === undefined) {
              listener.once("error", (error: Error) => {
                events.log(`cannot listen on ${message.host}:${message.port}: ${error.message}`);
                stop(1);
              });
              listener.listen({ host: message.host, port: message.port }, () => {
                const address = listener.address();
                const port = typeof address === "object" && address !== null ? address.port : message.port;
                url = `http://${message.host.includes(":") ? `[${message.host}]` : message.host}:${port}`;
                announce();
              });
            }
            break;
          case "cellforge:leaving":
            // A worker stopped by a signal of its own: no more connections for it, and the answer
            // (after any socket already on its way) tells it none will follow.
            serving.delete(worker.id);
            send(worker, { type: "cellforge:drain" });
            break;
          case "cellforge:accepted": {
            const entry = serving.get(worker.id);
            if (entry !== undefined && entry.pending > 0) entry.pending--;
            break;
          }
          case "cellforge:ready":
            ready++;
            model = message.model;
            announce();
            break;
          case "cellforge:failed":
            events.log(`worker ${worker.process.pid ?? "?"} could not start: ${message.message}`);
            stop(1);
            break;
          case "cellforge:reload": {
            const id = nextReload++;
            const targets = Object.values(cluster.workers ?? {}).filter(
              (w): w is Worker => w !== undefined && !w.isDead(),
            );
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
              send(reload.from, {
                type: "cellforge:reload-result",
                id: reload.requestId,
                outcomes: reload.outcomes,
                ...(reload.error === undefined ? {} : { error: reload.error }),
              });
            }
            break;
          }
          case "cellforge:metrics":
            aggregator.clusterMetrics().then(
              (text) => send(worker, { type: "cellforge:metrics-result", id: message.id, text }),
              (error: unknown) =>
                send(worker, {
                  type: "cellforge:metrics-result",
                  id: message.id,
                  error: error instanceof Error ? error.message : String(error),
                }),
            );
            break;
        }
      });
      worker.on("disconnect", () => serving.delete(worker.id));
    };
    cluster.on("exit", (worker, code, signal) => {
      serving.delete(worker.id);
      if (stopping) {
        finishIfAllDead();
        return;
      }
      const lived = Date.now() - (started.get(worker.id) ?? 0);
      events.log(`worker ${worker.process.pid ?? "?"} exited (${signal ?? `code ${code}`}); starting another.`);
      if (lived < CRASH_WINDOW_MS && ++quickCrashes >= MAX_QUICK_CRASHES) {
        events.log(`workers keep dying within ${CRASH_WINDOW_MS / 1000} s of starting; giving up.`);
        stop(1);
        return;
      }
      fork();
    });
    // The first SIGTERM or SIGINT drains; a second one (the user insisting) ends the workers at once.
    // A terminal's Ctrl-C reaches the workers too: they drain on it as on the primary's message.
    const onSignal = (signal: NodeJS.Signals): void => {
      if (!stopping) {
        events.log(`${signal}: draining the workers' requests in flight…`);
        stop(0);
        return;
      }
      events.log(`${signal} again: stopping the workers without waiting.`);
      exitCode = signal === "SIGINT" ? 130 : 143;
      for (const worker of Object.values(cluster.workers ?? {}))
        if (worker !== undefined && !worker.isDead()) worker.process.kill("SIGKILL");
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    for (let i = 0; i < workers; i++) fork();
  });
}

let nextId = 0;

/** A request from a worker to the primary, answered by message id. */
function askPrimary<T extends ClusterMessage>(
  request: (id: number) => ClusterMessage,
  answerType: T["type"],
  timeoutMs: number,
): Promise<T> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off("message", listener);
      reject(
        new ServeError("CLUSTER_TIMEOUT", `The primary process did not answer within ${timeoutMs / 1000} s.`, 504),
      );
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
      const answer = await askPrimary<Extract<ClusterMessage, { type: "cellforge:reload-result" }>>(
        (id) => ({ type: "cellforge:reload", id }),
        "cellforge:reload-result",
        300_000,
      );
      if (answer.error !== undefined)
        throw new ServeError(answer.error.code, answer.error.message, answer.error.status);
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
      const answer = await askPrimary<Extract<ClusterMessage, { type: "cellforge:metrics-result" }>>(
        (id) => ({ type: "cellforge:metrics", id }),
        "cellforge:metrics-result",
        10_000,
      );
      if (answer.text === undefined)
        throw new ServeError(
          "CLUSTER_METRICS",
          `Could not collect the workers' metrics: ${answer.error ?? "no answer"}.`,
          500,
        );
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
        const failure =
          error instanceof ServeError
            ? { code: error.code, message: error.message, status: error.statusCode }
            : { code: "RELOAD_FAILED", message: String(error), status: 500 };
        send(process, { type: "cellforge:reloaded", id: message.id, error: failure });
      },
    );
  });
}

/** Tells the primary this worker serves `model`, or could not start. */
export function reportToPrimary(result: { model: string } | { failed: string }): void {
  send(
    process,
    "failed" in result
      ? { type: "cellforge:failed", message: result.failed }
      : { type: "cellforge:ready", model: result.model },
  );
}

/** A worker's link to the primary's connections. */
export interface PrimaryLink {
  /** Resolves when the primary will hand this worker no more connections: it is stopping, or answered `leave()`. */
  drained: Promise<void>;
  /** Asks the primary for no more connections (this worker got a stop signal of its own). */
  leave(): void;
}

/**
 * Serves the connections the primary hands over, from now on, and tells it where to listen
 * (the worker reads serving.yml and the options).
 */
export function serveFromPrimary(server: ModelServer, listen: { host: string; port: number }): PrimaryLink {
  const drained = new Promise<void>((resolve) => {
    process.on("message", (message: unknown, handle: unknown) => {
      if (!isMessage(message)) return;
      if (message.type === "cellforge:drain") resolve();
      if (message.type !== "cellforge:connection" || !(handle instanceof Socket)) return;
      server.accept(handle);
      send(process, { type: "cellforge:accepted" });
    });
  });
  send(process, { type: "cellforge:opened", ...listen });
  return { drained, leave: () => send(process, { type: "cellforge:leaving" }) };
}

/** Closes the channel to the primary, so that a drained worker's process can end. */
export function leaveCluster(): void {
  if (process.connected) process.disconnect();
}

/** Whether this process is a worker forked by `runPrimary`. */
export const isClusterWorker = (): boolean => cluster.isWorker;
