/** `cellforge serve`: serves a registered model over HTTP (runtime/serve/). */
import type { Command } from "../command.ts";
import { integerOption, parseOptions, stringOption } from "../options.ts";
import { serverOptions } from "../server-options.ts";
import { stopSignal } from "../stop-signal.ts";

const usage = `Usage: cellforge serve [NAME[@ALIAS|:VERSION]] [options]

Serves a registered model over HTTP: POST /predict (one record or {"instances": [...]}),
MLflow-compatible POST /invocations, GET /health, /ready, /ping, /version, /metrics
(Prometheus), /model, and the API docs at /docs (OpenAPI at /openapi.json). Requests are
validated against the notebook's predict types and micro-batched into one model call.

Without NAME: the project's only registered model, else \`train\`. Without @ALIAS or :VERSION:
the model's @champion alias when it has one, else its latest version.

Options:
  --port N       port to listen on (default 3000, or port in conf/base/serving.yml; 0 picks a free one)
  --host HOST    address to listen on (default 127.0.0.1: this machine only)
  --workers N    serve from N processes sharing the port (node:cluster), each with the model loaded
  --env ENV      configuration environment: conf/ENV/serving.yml over conf/base (default: local)
  --no-extract   do not extract a changed notebook: refuse to serve, saying what changed

Before it loads the model, serve checks the notebook of the model's pipeline against
pipelines/NAME/ (as \`cellforge run\` does): a changed notebook is extracted again and said so,
and one that no longer extracts stops serve. A version whose predict code is then not the
code it was registered with is refused: \`cellforge run NAME\` trains the new code.

Environment:
  CELLFORGE_ADMIN_TOKEN   enables POST /admin/reload (with Authorization: Bearer TOKEN), which
                          re-resolves the reference (e.g. after \`cellforge models promote\`) and
                          swaps the model without failing a request in flight
  CELLFORGE_TF_BACKEND    tensorflow | wasm | cpu (default: the fastest available)
  CELLFORGE_LOG_LEVEL     Fastify's log level on stdout (default: warn)

SIGTERM or Ctrl-C stops accepting connections at once (a new connect is refused), answers every
request in flight (bodies still arriving included) with \`Connection: close\`, closes idle
keep-alive connections after a second's grace, then exits 0; a second signal exits at once.`;

/** The pipeline whose code serve loads: the reference's model name, else the model served by default (undefined when there is none or several: serve then says so). */
async function servedPipeline(
  root: string,
  env: string | undefined,
  reference: string | undefined,
): Promise<string | undefined> {
  const { parseModelRef } = await import("../../registry/model-ref.ts");
  if (reference !== undefined) return parseModelRef(reference).name;
  const { openProjectStore } = await import("../../stores/project-stores.ts");
  const { defaultModelName } = await import("../../serve/served-reference.ts");
  const { ModelNotFoundError } = await import("../../registry/errors.ts");
  const project = await openProjectStore(root, env);
  try {
    return await defaultModelName(project.registry);
  } catch (error) {
    if (error instanceof ModelNotFoundError) return undefined;
    throw error;
  } finally {
    await project.close();
  }
}

/** Extracts the served pipeline's notebook again when it changed (or refuses, with --no-extract), so serve never loads code older than the notebook. */
async function syncServedPipeline(
  env: string | undefined,
  reference: string | undefined,
  extract: boolean,
): Promise<void> {
  const { findProjectRoot } = await import("../../config/project-root.ts");
  const root = findProjectRoot();
  const pipeline = await servedPipeline(root, env, reference);
  if (pipeline === undefined) return;
  const { syncPipeline } = await import("../pipelines-sync.ts");
  const sync = await syncPipeline(root, pipeline, { extract, preload: true });
  if (sync.kind === "extracted")
    console.log(`cellforge serve: ${sync.notebook} changed: extracted again (${sync.changes})`);
}

const serve: Command = {
  name: "serve",
  summary: "serve a registered model over HTTP",
  usage,
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        port: { type: "string" },
        host: { type: "string" },
        workers: { type: "string" },
        env: { type: "string" },
        "no-extract": { type: "boolean" },
      },
      1,
    );
    const { settings, adminToken, logger } = serverOptions(parsed);
    const workers = integerOption(parsed, "workers") ?? 1;
    const env = stringOption(parsed, "env");
    const reference = parsed.positionals[0];

    // The server loads on use (Fastify, TF.js, SQLite), so that `cellforge --help` stays instant.
    const { isClusterWorker, runPrimary } = await import("../../serve/cluster.ts");
    // The primary (or the one process) checks the notebook once; workers load what it left in pipelines/.
    if (!isClusterWorker()) await syncServedPipeline(env, reference, parsed.values["no-extract"] !== true);
    if (workers > 1 && !isClusterWorker()) {
      const code = await runPrimary(workers, {
        ready: (url, model) =>
          console.log(`cellforge serve: serving ${model} at ${url} from ${workers} workers (docs: ${url}/docs)`),
        log: (line) => console.error(`cellforge serve: ${line}`),
      });
      console.log("cellforge serve: stopped.");
      return code;
    }
    const worker = isClusterWorker();
    const { ModelServer } = await import("../../serve/model-server.ts");
    const { joinCluster, leaveCluster, reportToPrimary, serveFromPrimary, workerClusterHooks } =
      await import("../../serve/cluster.ts");
    let server;
    try {
      server = await ModelServer.open({
        reference,
        ...(env === undefined ? {} : { env }),
        settings,
        adminToken,
        logger,
        ...(worker ? { cluster: workerClusterHooks() } : {}),
      });
    } catch (error) {
      if (worker) reportToPrimary({ failed: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    // A worker drains on the terminal's Ctrl-C (which reaches the whole process group) and on a
    // SIGTERM sent to it, as on the primary's word; a second signal ends it at once.
    const stopped = stopSignal(["SIGINT", "SIGTERM"]);
    const model = `${server.contract.name}:${server.contract.version}`;
    let link;
    try {
      if (worker) {
        // The primary listens and hands the connections over (see serve/cluster.ts).
        await server.serveHandedConnections();
        link = serveFromPrimary(server, { host: server.settings.host, port: server.settings.port });
      } else {
        const url = await server.listen();
        console.log(`cellforge serve: listening on ${url}, loading ${model}…`);
      }
      await server.load();
      if (worker) {
        joinCluster(server);
        reportToPrimary({ model });
      } else {
        console.log(
          `cellforge serve: serving ${model} at ${server.url ?? ""} (docs: ${server.url ?? ""}/docs)${adminToken ? "; POST /admin/reload enabled" : ""}`,
        );
      }
    } catch (error) {
      if (worker) reportToPrimary({ failed: error instanceof Error ? error.message : String(error) });
      await server.close();
      if (worker) leaveCluster();
      throw error;
    }
    const signal = await Promise.race([
      stopped,
      link?.drained.then(() => undefined) ?? new Promise<never>(() => undefined),
    ]);
    if (link !== undefined && signal !== undefined) {
      // Stopped by a signal of its own: take the connections already on their way, then drain.
      link.leave();
      await link.drained;
    }
    if (!worker) console.log(`cellforge serve: ${signal ?? "SIGTERM"}: draining requests in flight…`);
    await server.close();
    if (worker) leaveCluster();
    else console.log("cellforge serve: stopped.");
    return 0;
  },
};

export default serve;
