/**
 * A running prediction server for one served reference: opens the project's registry, resolves the
 * version, builds the application for its contract, listens, loads and warms the model up, and
 * later reloads it (POST /admin/reload) or drains and closes (SIGTERM).
 */
import type { FastifyInstance, FastifyServerOptions } from "fastify";
import { Server as NetServer, type Socket } from "node:net";
import { DEFAULT_ENV } from "../config/config-loader.ts";
import { RegistryError } from "../registry/errors.ts";
import { openProjectRegistry, type OpenRegistry } from "../stores/project-stores.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { tf, useFastestBackend } from "../tfjs/backend.ts";
import { offerSite, placedElsewhere } from "../tfjs/inference.ts";
import { ModelThread } from "../tfjs/model-thread.ts";
import { ConnectionDrain } from "./connection-drain.ts";
import { ModelMismatchError, ReloadRefusedError, ServeError } from "./errors.ts";
import { loadModelVersion } from "./model-loader.ts";
import type { ReloadOutcome } from "./routes/admin.ts";
import { buildServer, type ServingApp } from "./server.ts";
import {
  describeServedReference,
  parseServedReference,
  resolveServedVersion,
  type ServedReference,
} from "./served-reference.ts";
import { loadServingSettings, type ServingSettings } from "./serving-config.ts";
import { warmUp } from "./warm-up.ts";
import type { BatchLatency } from "./batch-latency.ts";
import type { ServedModel } from "./served-model.ts";

/** How to start a server. */
export interface ModelServerOptions {
  /** Where to look for the project; defaults to the current folder. */
  cwd?: string;
  /** Configuration environment (conf/<env>/serving.yml over conf/base); default "local". */
  env?: string;
  /** `NAME`, `NAME@ALIAS` or `NAME:VERSION`; default: the project's model at @champion, else its latest version. */
  reference?: string | undefined;
  /** Overrides of serving.yml (command-line options). */
  settings?: Partial<ServingSettings>;
  /** Enables POST /admin/reload; the CLI passes CELLFORGE_ADMIN_TOKEN. */
  adminToken?: string | undefined;
  /** Registers the bench's POST /echo. */
  echo?: boolean;
  logger?: FastifyServerOptions["logger"];
  /** Routes registered next to the serving ones, e.g. the web UI (ui/mount.ts): the commands compose them with the server. */
  mounts?: readonly ModelServerMount[];
  /** Under --workers: what /admin/reload does (reload every worker) and what /metrics shows (every worker's). */
  cluster?: { reload: () => Promise<ReloadOutcome>; exposition: () => Promise<string> };
}

/** What routes mounted on a model server (the web UI) may use of it. */
export interface MountContext {
  /** The project root. */
  root: string;
  /** The configuration environment. */
  env: string;
  /** The admin token the server was started with (CELLFORGE_ADMIN_TOKEN), if any. */
  adminToken: string | undefined;
  /** The version served now: the contract's until the model is loaded. */
  served: () => ModelVersion;
  /** Re-resolves the served reference in this process and swaps the model when it now names another version. */
  reload: () => Promise<ReloadOutcome>;
}

/** Routes to register on a model server's application, given what they may use of the server. */
export type ModelServerMount = (app: FastifyInstance, server: MountContext) => Promise<void>;

/** How long a keep-alive socket with no request stays open once a drain starts, so a client's next request on it is answered (with `Connection: close`) rather than reset. */
export const IDLE_GRACE_MS = 1_000;

/** One prediction server. */
export class ModelServer {
  private reloading: Promise<unknown> = Promise.resolve();
  private backendName: string | undefined;
  private closing: Promise<void> | undefined;
  private address: string | undefined;
  /** Where served models run when model_thread is on (started on a predict cell's first `inferBatch`); undefined when it failed to start. */
  private modelThread: Promise<ModelThread | undefined> | undefined;
  private readonly connections: ConnectionDrain;

  private constructor(
    readonly serving: ServingApp,
    private readonly registry: OpenRegistry,
    private readonly reference: ServedReference,
    /** The version the contract (schemas, docs) was built from. */
    readonly contract: ModelVersion,
    readonly settings: ServingSettings,
  ) {
    this.connections = new ConnectionDrain(serving.app.server);
  }

  /** Opens the registry, resolves what to serve and builds the application; does not listen or load the model yet. */
  static async open(options: ModelServerOptions = {}): Promise<ModelServer> {
    const registry = await openProjectRegistry({
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env: options.env ?? DEFAULT_ENV,
    });
    try {
      const settings = { ...loadServingSettings(registry.root, options.env ?? DEFAULT_ENV), ...options.settings };
      const parsed = parseServedReference(options.reference);
      const version = await resolveServedVersion(registry.registry, parsed);
      // Pin the default to the model found now, so a reload never switches to another model.
      const reference: ServedReference = parsed.kind === "default" ? { kind: "default", name: version.name } : parsed;
      const serving = await buildServer({
        version,
        reference: describeServedReference(reference),
        settings,
        adminToken: options.adminToken,
        reload: options.cluster?.reload ?? (() => server.reload()),
        echo: options.echo ?? false,
        logger: options.logger ?? false,
        backend: () => server.backend(),
        ...(options.cluster === undefined ? {} : { exposition: options.cluster.exposition }),
        mounts: (options.mounts ?? []).map(
          (mount) => (app: FastifyInstance, served: () => ModelVersion) =>
            mount(app, {
              root: registry.root,
              env: options.env ?? DEFAULT_ENV,
              adminToken: options.adminToken,
              served,
              reload: () => server.reload(),
            }),
        ),
      });
      const server = new ModelServer(serving, registry, reference, version, settings);
      return server;
    } catch (error) {
      await registry.close();
      throw error;
    }
  }

  /** The Fastify instance (for `inject()` in tests). */
  get app(): ServingApp["app"] {
    return this.serving.app;
  }

  /** http://host:port once listening. */
  get url(): string | undefined {
    return this.address;
  }

  /** Starts listening on the configured host and port; resolves to the URL. */
  async listen(): Promise<string> {
    await this.serving.app.listen({ host: this.settings.host, port: this.settings.port });
    const address = this.serving.app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : this.settings.port;
    const host = this.settings.host.includes(":") ? `[${this.settings.host}]` : this.settings.host;
    this.address = `http://${host}:${port}`;
    return this.address;
  }

  /**
   * Under --workers: serves the connections the primary hands over (see cluster.ts) instead of
   * listening on a port itself.
   */
  async serveHandedConnections(): Promise<void> {
    await this.serving.app.ready();
    // Node starts its per-connection timeout checks (request_timeout_ms) when a server starts
    // listening; this one never listens, so it is told the same way.
    this.serving.app.server.emit("listening");
  }

  /** Serves one connection accepted by the primary. */
  accept(socket: Socket): void {
    this.serving.app.server.emit("connection", socket);
  }

  /** The TF.js backend serving, e.g. "wasm (SIMD), on the model thread" (GET /model). */
  private backend(): string | undefined {
    if (this.backendName === undefined) return undefined;
    const artifacts = Object.values(this.serving.slot.model?.artifacts ?? {});
    const threaded = artifacts.some((a) => a instanceof tf.LayersModel && placedElsewhere(a));
    return threaded ? `${this.backendName}, on the model thread` : this.backendName;
  }

  /** Loads the contract's version, warms it up and marks the server ready. */
  async load(): Promise<void> {
    const { state, batcher } = this.serving;
    try {
      this.backendName = (await useFastestBackend()).description;
      await this.install(
        await loadModelVersion(this.registry.registry, this.registry.root, this.contract),
        batcher.latency,
      );
      state.phase = "ready";
    } catch (error) {
      state.phase = "failed";
      state.failure = error instanceof Error ? error.message : String(error);
      throw error;
    }
  }

  /** Warms `model` up (calibrating the batcher's latency fit when given), then serves it from now on: the first load and every reload. */
  private async install(model: ServedModel, latency?: BatchLatency): Promise<void> {
    this.offerModelThread(model);
    await warmUp(model, model.version.inputSchema, this.serving.batcher.callSizes, latency);
    await this.serving.slot.swap(model);
    this.serving.metrics.setModel(model);
  }

  /**
   * Offers `model`'s TF.js models the model thread (model_thread: true): from the first call a predict cell makes to
   * `inferBatch`, they run there while this thread reads requests and writes answers (tfjs/model-thread.ts). The thread
   * starts on that first call, once per server; should it not start, the server says so on stderr and the models run
   * here.
   */
  private offerModelThread(model: ServedModel): void {
    if (!this.settings.modelThread) return;
    for (const artifact of Object.values(model.artifacts)) {
      if (!(artifact instanceof tf.LayersModel)) continue;
      offerSite(artifact, async () => await (await this.startModelThread())?.attach(artifact));
    }
  }

  private startModelThread(): Promise<ModelThread | undefined> {
    if (this.closing !== undefined && this.modelThread === undefined) return Promise.resolve(undefined);
    this.modelThread ??= ModelThread.start().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      process.stderr.write(`cellforge serve: ${reason}; the model runs on the server's event loop instead.\n`);
      return undefined;
    });
    return this.modelThread;
  }

  /**
   * Re-resolves the served reference and, when it names another version, loads it, warms it up
   * and swaps it in; requests in flight finish on the old model, which is then disposed. A version with
   * another request or response schema is served with its own: validation, answers and the OpenAPI
   * document follow the served version (served-contract.ts). The pipeline's code is imported as it is on
   * disk now (load-pipeline.ts), so a version registered with new predict code is served with it, without a
   * restart. Refused (409), keeping the current version: a version whose files fail their sha256 check or
   * whose predict code is not the code on disk (a version of older code, once the code changed).
   */
  reload(): Promise<ReloadOutcome> {
    const next = this.reloading.then(() => this.reloadNow());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  private async reloadNow(): Promise<ReloadOutcome> {
    const { slot, state } = this.serving;
    const current = slot.model;
    const from = current?.label;
    try {
      let version: ModelVersion;
      try {
        version = await resolveServedVersion(this.registry.registry, this.reference);
      } catch (error) {
        if (error instanceof RegistryError) throw new ReloadRefusedError(error.message);
        throw error;
      }
      const to = `${version.name}:${version.version}`;
      if (
        current !== undefined &&
        current.version.name === version.name &&
        current.version.version === version.version
      ) {
        const message = `${describeServedReference(this.reference)} still resolves to ${to}; nothing to reload.`;
        state.lastReload = { at: new Date().toISOString(), outcome: "unchanged", message };
        return { reloaded: false, from, to, message };
      }
      let model;
      try {
        model = await loadModelVersion(this.registry.registry, this.registry.root, version);
      } catch (error) {
        if (error instanceof ModelMismatchError) throw new ReloadRefusedError(error.message);
        // A tampered or missing file (ModelIntegrityError) is the version's fault, not the server's: a refusal that keeps the current one.
        if (error instanceof RegistryError)
          throw new ReloadRefusedError(`${error.message} ${from ?? "No model"} is still served.`);
        throw error;
      }
      await this.install(model);
      if (state.phase === "failed") state.phase = "ready";
      const message = `Now serving ${to}${from === undefined ? "" : ` (was ${from})`}.`;
      state.lastReload = { at: new Date().toISOString(), outcome: "swapped", message };
      return { reloaded: true, from, to, message };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      state.lastReload = { at: new Date().toISOString(), outcome: "failed", message };
      if (error instanceof ServeError) throw error;
      throw new ServeError(
        "RELOAD_FAILED",
        `The reload failed, ${from ?? "no model"} is still served: ${message}`,
        500,
        { cause: error },
      );
    }
  }

  /**
   * Drains and stops: /ready turns 503, no new connections are accepted (a connect is refused),
   * requests in flight — bodies still arriving included — and any request on an open connection
   * are answered with `Connection: close`, a connection with no request is closed after
   * IDLE_GRACE_MS, then the model is disposed and the registry closed.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const { app, batcher, slot, state } = this.serving;
      state.phase = "closing";
      try {
        // Stop listening without http.Server#close, which also destroys idle keep-alive sockets at
        // once (racing a client's next request on them); the drain closes those after a grace.
        if (app.server.listening) {
          // Connections the kernel has already completed are accepted first (in this loop turn's
          // poll phase): closing the listening socket would reset them.
          await new Promise((resolve) => setImmediate(resolve));
          NetServer.prototype.close.call(app.server);
        }
        await this.connections.drain(IDLE_GRACE_MS);
        await app.close();
        await batcher.close();
        await this.reloading;
        await slot.clear();
        await (await this.modelThread)?.close();
      } finally {
        await this.registry.close();
      }
    })();
    return this.closing;
  }
}

/** Opens, listens and loads: what `cellforge serve` runs in each process. */
export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const server = await ModelServer.open(options);
  try {
    await server.listen();
    await server.load();
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}
