/**
 * The web UI as a Fastify plugin, mounted under /ui next to the prediction server (or alone by
 * `cellforge ui` when no model is registered): server-rendered pages for runs, a run, a comparison,
 * the registry, the pipeline DAG and a try-it form; JSON under /ui/api; static assets (the page
 * script, the stylesheet and uPlot's files from node_modules) under /ui/assets. Each route family is
 * a plugin of routes/; this one opens the project and shares it, the page shell and the error pages.
 */
import type { FastifyInstance, FastifyPluginAsync } from "fastify";
import { DEFAULT_ENV } from "../config/config-loader.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { adminTokenCheck, normalizedAdminToken } from "../serve/admin-token.ts";
import { installUiErrorHandling } from "./error-handler.ts";
import { pageSender } from "./page-reply.ts";
import { UiProject } from "./project.ts";
import { assetsRoute } from "./routes/assets.ts";
import { modelsRoutes } from "./routes/models.ts";
import { pipelineRoute } from "./routes/pipeline.ts";
import { runsRoutes } from "./routes/runs.ts";
import { tryRoutes } from "./routes/try.ts";

/** How to mount the UI. */
export interface UiPluginOptions {
  /** Project root. */
  root: string;
  /** Configuration environment (for tracking.yml and the catalog); default "local". */
  env?: string;
  /** The admin token (CELLFORGE_ADMIN_TOKEN): promotion is refused without it. */
  adminToken?: string | undefined;
  /** The version being served now, if any: the try-it form posts to its /predict. */
  served?: () => ModelVersion | undefined;
  /** Called after an alias moved, e.g. to reload a server that serves that alias; resolves to a message for the user. */
  onPromote?: (name: string, alias: string) => Promise<string | undefined>;
}

/** Registers the UI routes; mount with `{ prefix: "/ui" }`. */
export const uiPlugin: FastifyPluginAsync<UiPluginOptions> = async (app: FastifyInstance, options) => {
  const project = await UiProject.open(options.root, options.env ?? DEFAULT_ENV);
  app.addHook("onClose", async () => project.close());
  const served = options.served ?? (() => undefined);
  const adminToken = normalizedAdminToken(options.adminToken);
  const checkToken = adminToken === undefined ? undefined : adminTokenCheck(adminToken);
  const sendPage = pageSender(served);

  installUiErrorHandling(app, { root: options.root, sendPage });
  await app.register(runsRoutes, { project, served, sendPage });
  await app.register(modelsRoutes, { project, served, sendPage, checkToken, onPromote: options.onPromote });
  await app.register(pipelineRoute, { project, sendPage });
  await app.register(tryRoutes, { project, served, sendPage });
  await app.register(assetsRoute);
};
