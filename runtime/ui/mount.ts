/** The web UI mounted under /ui of a model server, as `cellforge ui` and `cellforge start` compose them. */
import type { ModelServerMount } from "../serve/model-server.ts";
import type { ReloadOutcome } from "../serve/routes/admin.ts";
import { uiPlugin } from "./plugin.ts";

/** What the UI tells the user after moving an alias: the reload, when the served reference now resolves elsewhere. */
function reloadMessage(outcome: ReloadOutcome): string | undefined {
  return outcome.reloaded ? outcome.message : undefined;
}

/** Mounts the UI on a model server: the try-it form posts to the served model, and moving an alias reloads the server when its reference now resolves elsewhere. */
export const mountUi: ModelServerMount = async (app, server) => {
  await app.register(uiPlugin, {
    root: server.root,
    env: server.env,
    adminToken: server.adminToken,
    served: server.served,
    onPromote: async () => reloadMessage(await server.reload()),
    prefix: "/ui",
  });
};
