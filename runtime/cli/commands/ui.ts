/** `cellforge ui`: the web UI for runs, models and pipelines, with the registered model served next to it when there is one. */
import type { FastifyInstance } from "fastify";
import type { ModelServer } from "../../serve/model-server.ts";
import type { Command } from "../command.ts";
import { parseOptions, stringOption } from "../options.ts";
import { serverOptions } from "../server-options.ts";
import { stopSignal } from "../stop-signal.ts";

const usage = `Usage: cellforge ui [NAME[@ALIAS|:VERSION]] [options]

Serves the web UI at /ui: the runs (sortable, filterable), a run's parameters, metrics with loss
curves, confusion matrix, datasets and artifacts, runs side by side, the model registry (with
alias promotion), the pipeline's DAG, and a try-it form for the served model.

When a model is registered it is served too, as \`cellforge serve\` serves it (POST /predict,
/docs…): NAME[@ALIAS|:VERSION], else the project's model at @champion, else its latest version.
Without a registered model, only the UI is served.

Options:
  --port N      port to listen on (default 3000, or port in conf/base/serving.yml; 0 picks a free one)
  --host HOST   address to listen on (default 127.0.0.1: this machine only)
  --env ENV     configuration environment (default: local)

Environment:
  CELLFORGE_ADMIN_TOKEN   enables moving aliases from the UI (send it as the admin token)`;

/** A server with the UI only, for a project without a registered model. */
async function uiOnly(
  root: string,
  env: string,
  settings: { port: number; host: string },
  adminToken: string | undefined,
  logger: { level: string },
): Promise<{ app: FastifyInstance; url: string }> {
  const { default: Fastify } = await import("fastify");
  const { uiPlugin } = await import("../../ui/plugin.ts");
  const { securityHeaders } = await import("../../serve/security-headers.ts");
  const app = Fastify({ logger });
  // The same headers as with a model server: the pages set their own Content-Security-Policy, JSON and assets get the strict one.
  app.addHook("onSend", securityHeaders());
  await app.register(uiPlugin, { root, env, adminToken, prefix: "/ui" });
  app.get("/", async (_request, reply) => reply.redirect("/ui"));
  await app.listen({ port: settings.port, host: settings.host });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : settings.port;
  return { app, url: `http://${settings.host.includes(":") ? `[${settings.host}]` : settings.host}:${port}` };
}

const ui: Command = {
  name: "ui",
  summary: "serve the web UI for runs, models and the pipeline (and the model, if registered)",
  usage,
  async run(args) {
    const parsed = parseOptions(
      args,
      { port: { type: "string" }, host: { type: "string" }, env: { type: "string" } },
      1,
    );
    const { settings, adminToken, logger } = serverOptions(parsed);
    const env = stringOption(parsed, "env");
    const reference = parsed.positionals[0];

    const { ModelServer } = await import("../../serve/model-server.ts");
    const { mountUi } = await import("../../ui/mount.ts");
    const { ModelNotFoundError, SeveralModelsError } = await import("../../registry/errors.ts");
    const stopped = stopSignal();
    let server: ModelServer | undefined;
    let unserved = "no model is registered yet, so none is served; `npm start` trains one";
    try {
      server = await ModelServer.open({
        reference,
        ...(env === undefined ? {} : { env }),
        settings,
        adminToken,
        logger,
        mounts: [mountUi],
      });
    } catch (error) {
      // No model yet is fine for the UI; a model asked for by name that does not exist is not.
      if (!(error instanceof ModelNotFoundError) || reference !== undefined) throw error;
      if (error instanceof SeveralModelsError)
        unserved = `several models are registered (${error.names.join(", ")}), so none is served; \`cellforge ui ${error.names[0]}\` serves one beside it`;
    }

    if (server === undefined) {
      const { findProjectRoot } = await import("../../config/project-root.ts");
      const { loadServingSettings } = await import("../../serve/serving-config.ts");
      const { DEFAULT_ENV } = await import("../../config/config-loader.ts");
      const root = findProjectRoot();
      const served = await uiOnly(
        root,
        env ?? DEFAULT_ENV,
        { ...loadServingSettings(root, env ?? DEFAULT_ENV), ...settings },
        adminToken,
        logger,
      );
      console.log(`cellforge ui: the web UI is at ${served.url}/ui (${unserved}).`);
      const signal = await stopped;
      console.log(`cellforge ui: ${signal}: stopping…`);
      await served.app.close();
      return 0;
    }

    try {
      const url = await server.listen();
      console.log(
        `cellforge ui: the web UI is at ${url}/ui; loading ${server.contract.name}:${server.contract.version}…`,
      );
      await server.load();
      console.log(
        `cellforge ui: serving ${server.contract.name}:${server.contract.version} at ${url} (POST /predict, docs ${url}/docs).`,
      );
    } catch (error) {
      await server.close();
      throw error;
    }
    const signal = await stopped;
    console.log(`cellforge ui: ${signal}: stopping…`);
    await server.close();
    return 0;
  },
};

export default ui;
