/** How the UI answers errors and unknown paths: a page for pages, `{error, message}` JSON under /ui/api, never the machine's paths. */
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { UiError } from "./errors.ts";
import { html } from "./html.ts";
import { withoutLocalPaths } from "./local-paths.ts";
import type { SendPage } from "./page-reply.ts";

/** What the handlers need. */
export interface UiErrorHandlingOptions {
  /** The project root, kept out of messages. */
  root: string;
  sendPage: SendPage;
}

const isApi = (request: FastifyRequest): boolean => request.url.startsWith("/ui/api/");

/** Sets the error and not-found handlers of the UI's plugin context (its routes inherit them). */
export function installUiErrorHandling(app: FastifyInstance, { root, sendPage }: UiErrorHandlingOptions): void {
  app.setErrorHandler((error: FastifyError | UiError, request, reply) => {
    const status =
      error instanceof UiError
        ? error.statusCode
        : typeof error.statusCode === "number" && error.statusCode >= 400
          ? error.statusCode
          : 500;
    const code =
      error instanceof UiError
        ? error.code
        : error.validation !== undefined
          ? "INVALID_REQUEST"
          : (error.code ?? "INTERNAL");
    if (status >= 500) request.log.error({ err: error }, error.message);
    // The log has the whole message; the page and the JSON never show the machine's paths.
    const message = withoutLocalPaths(error.message, root);
    if (isApi(request)) return reply.code(status).type("application/json").send({ error: code, message });
    return sendPage(
      reply,
      status === 404 ? "Not found" : "Error",
      undefined,
      html`<h1>${status === 404 ? "Not found" : "Something went wrong"}</h1><p class="error" role="alert">${message}</p><p><a href="/ui">Back to the runs</a></p>`,
      { status },
    );
  });
  app.setNotFoundHandler((request, reply) => {
    const message = `Nothing at ${request.url.split("?")[0]}.`;
    if (isApi(request)) return reply.code(404).type("application/json").send({ error: "NOT_FOUND", message });
    return sendPage(
      reply,
      "Not found",
      undefined,
      html`<h1>Not found</h1><p>${message}</p><p><a href="/ui">Back to the runs</a></p>`,
      { status: 404 },
    );
  });
}
