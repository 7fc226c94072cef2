/**
 * POST /admin/reload: re-resolves the served reference (the alias may have moved since
 * `cellforge models promote`) and swaps the model without failing a request in flight. Registered
 * only when CELLFORGE_ADMIN_TOKEN is set (404 otherwise); needs `Authorization: Bearer <token>`
 * (401 without it, 403 with another).
 */
import type { FastifyPluginAsync } from "fastify";
import { adminTokenCheck } from "../admin-token.ts";
import { ServeError } from "../errors.ts";

/** What a reload did. */
export interface ReloadOutcome {
  reloaded: boolean;
  from: string | undefined;
  to: string;
  message: string;
  /** Under --workers: what each worker did. */
  workers?: ReloadOutcome[];
}

/** What the route needs. */
export interface AdminRoutesOptions {
  token: string;
  reload: () => Promise<ReloadOutcome>;
}

class UnauthorizedError extends ServeError {
  constructor(status: 401 | 403, message: string) {
    super(status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", message, status);
  }
}

/** Registers POST /admin/reload. */
export const adminRoutes: FastifyPluginAsync<AdminRoutesOptions> = async (app, { token, reload }) => {
  const check = adminTokenCheck(token);
  app.post(
    "/admin/reload",
    {
      schema: {
        summary: "Reload the model: re-resolve the served reference and swap atomically",
        description:
          "Needs `Authorization: Bearer $CELLFORGE_ADMIN_TOKEN`. Answers 409, and keeps serving the current version, when the new version's request or response schema differs or the pipeline's code changed since the server started (restart the server for those), when a file of the new version no longer has the sha256 recorded at registration, or when its predict code is not the code it was registered with. The error body is `{error: \"RELOAD_REFUSED\", message}`.",
        tags: ["admin"],
        security: [{ adminToken: [] }],
        response: {
          200: {
            type: "object",
            properties: {
              reloaded: { type: "boolean" },
              from: { type: "string" },
              to: { type: "string" },
              message: { type: "string" },
              workers: { type: "array", items: { type: "object", additionalProperties: true } },
            },
            required: ["reloaded", "to", "message"],
          },
        },
      },
      onRequest: async (request) => {
        const verdict = check(request.headers.authorization);
        if (verdict === "missing")
          throw new UnauthorizedError(401, "POST /admin/reload needs `Authorization: Bearer <CELLFORGE_ADMIN_TOKEN>`.");
        if (verdict === "wrong") throw new UnauthorizedError(403, "The admin token is wrong.");
      },
    },
    async () => reload(),
  );
};
