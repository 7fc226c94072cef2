/**
 * The registry: GET /ui/models lists every model's versions and aliases; POST /ui/api/models/:name/aliases/:alias
 * moves an alias, with the admin token (CELLFORGE_ADMIN_TOKEN; refused when unset), then tells the server.
 */
import type { FastifyPluginAsync } from "fastify";
import type { TokenCheck } from "../../serve/admin-token.ts";
import { BreakingSchemaError, ModelNotFoundError, RegistryError } from "../../registry/errors.ts";
import type { ModelVersion } from "../../registry/registry-store.ts";
import { checkCsrf, csrfToken } from "../csrf.ts";
import { UiError } from "../errors.ts";
import { servedLabel, type SendPage } from "../page-reply.ts";
import { modelsPage } from "../pages/models.ts";
import type { UiProject } from "../project.ts";

/** What the routes need. */
export interface ModelsRoutesOptions {
  project: UiProject;
  /** The version served now, if any, marked in the list. */
  served: () => ModelVersion | undefined;
  sendPage: SendPage;
  /** Checks a request's Authorization header; undefined when no admin token is set, which disables promotion. */
  checkToken: ((header: string | undefined) => TokenCheck) | undefined;
  /** Called after an alias moved, e.g. to reload a server that serves that alias; resolves to a message for the user. */
  onPromote: ((name: string, alias: string) => Promise<string | undefined>) | undefined;
}

/** Registers the registry page and the alias move. */
export const modelsRoutes: FastifyPluginAsync<ModelsRoutesOptions> = async (
  app,
  { project, served, sendPage, checkToken, onPromote },
) => {
  app.get("/models", { schema: { hide: true } }, async (request, reply) => {
    const csrf = csrfToken(request, reply);
    const models = await Promise.all(
      (await project.registry.listModels()).map(async (summary) => ({
        summary,
        versions: await project.registry.listVersions(summary.name),
      })),
    );
    return sendPage(
      reply,
      "Models",
      "models",
      modelsPage({ models, promotionEnabled: checkToken !== undefined, served: servedLabel(served()), csrf }),
    );
  });

  app.post<{ Params: { name: string; alias: string }; Body: { version: number; force?: boolean } }>(
    "/api/models/:name/aliases/:alias",
    {
      schema: {
        hide: true,
        params: {
          type: "object",
          properties: {
            name: { type: "string", pattern: "^[\\w.-]+$" },
            alias: { type: "string", pattern: "^[A-Za-z][\\w.-]*$" },
          },
          required: ["name", "alias"],
        },
        body: {
          type: "object",
          properties: { version: { type: "integer", minimum: 1 }, force: { type: "boolean" } },
          required: ["version"],
          additionalProperties: false,
        },
      },
      onRequest: async (request) => {
        checkCsrf(request);
        if (checkToken === undefined)
          throw new UiError(
            403,
            "PROMOTION_DISABLED",
            "Promotion is disabled: start the server with CELLFORGE_ADMIN_TOKEN set, and send that token.",
          );
        const verdict = checkToken(request.headers.authorization);
        if (verdict === "missing")
          throw new UiError(401, "UNAUTHORIZED", "Promotion needs `Authorization: Bearer <CELLFORGE_ADMIN_TOKEN>`.");
        if (verdict === "wrong") throw new UiError(403, "FORBIDDEN", "The admin token is wrong.");
      },
    },
    async (request) => {
      const { name, alias } = request.params;
      try {
        const outcome = await project.registry.promote(name, request.body.version, alias, {
          force: request.body.force === true,
        });
        const moved =
          outcome.previous === undefined
            ? `@${alias} now points at ${name}:${request.body.version}.`
            : `@${alias} moved from ${name}:${outcome.previous} to ${name}:${request.body.version}.`;
        let reload: string | undefined;
        try {
          reload = await onPromote?.(name, alias);
        } catch (error) {
          reload = `The server could not reload: ${error instanceof Error ? error.message : String(error)}`;
        }
        return {
          name,
          alias,
          version: request.body.version,
          previous: outcome.previous ?? null,
          message: reload === undefined ? moved : `${moved} ${reload}`,
        };
      } catch (error) {
        if (error instanceof ModelNotFoundError) throw new UiError(404, error.code, error.message);
        if (error instanceof BreakingSchemaError) throw new UiError(409, error.code, error.message);
        if (error instanceof RegistryError) throw new UiError(400, error.code, error.message);
        throw error;
      }
    },
  );
};
