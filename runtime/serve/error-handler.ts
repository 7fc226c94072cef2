/**
 * Every error becomes a JSON body `{error, message, field?, path?}` with the right status: 400 for
 * bad JSON or a request the schema refuses, 413 for a body over the limit, 415 for a body that is
 * not JSON (or CSV, for /invocations) and for too many rows or CSV columns, 422 when the model
 * outputs NaN or Infinity, 503 + Retry-After when overloaded, 500 when predict fails. POST /invocations adds
 * MLflow's `error_code`. Nothing a client sends can crash the server.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { InvalidRequestError, OverloadedError, ServeError } from "./errors.ts";
import { validationProblem, type RowNaming } from "./validation-problem.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** How messages name a row of a batch. */
    rowNaming?: RowNaming;
    /** Add MLflow's `error_code` to error bodies. */
    mlflowErrors?: boolean;
  }
}

/** The JSON error body. */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  path?: string;
  error_code?: string;
}

const MLFLOW_CODES: Record<number, string> = {
  400: "BAD_REQUEST",
  404: "RESOURCE_DOES_NOT_EXIST",
  409: "INVALID_STATE",
  413: "BAD_REQUEST",
  415: "BAD_REQUEST",
  422: "INVALID_PARAMETER_VALUE",
  503: "TEMPORARILY_UNAVAILABLE",
};

/** Error bodies are plain JSON, never written by a route's success serializer (a 200 schema cannot write them). */
const errorSerializer = (body: unknown): string => JSON.stringify(body);

function invalidBody(problem: InvalidRequestError): ErrorBody {
  return {
    error: problem.code,
    message: problem.message,
    ...(problem.field === undefined ? {} : { field: problem.field }),
    ...(problem.path === undefined ? {} : { path: problem.path }),
  };
}

function describe(
  error: FastifyError,
  request: FastifyRequest,
  bodyLimit: number,
  knownFields: readonly string[],
): { status: number; body: ErrorBody } {
  if (error.validation !== undefined) {
    const problem = validationProblem(
      error.validation,
      request.body,
      request.routeOptions.config.rowNaming ?? "instances",
      knownFields,
    );
    return { status: 400, body: invalidBody(problem) };
  }
  if (error instanceof ServeError) {
    const body: ErrorBody =
      error instanceof InvalidRequestError ? invalidBody(error) : { error: error.code, message: error.message };
    return { status: error.statusCode, body };
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return {
        status: 400,
        body: {
          error: "INVALID_JSON",
          message:
            "The request body is not valid JSON. (JSON has no NaN or Infinity: send a number, or null where the schema allows it.)",
        },
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        status: 400,
        body: { error: "INVALID_JSON", message: "The request body is empty; send a JSON object." },
      };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        status: 413,
        body: {
          error: "BODY_TOO_LARGE",
          message: `The request body is larger than the server's limit of ${bodyLimit} bytes: send fewer rows per request, or raise body_limit_bytes in conf/base/serving.yml.`,
        },
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        status: 415,
        body: {
          error: "UNSUPPORTED_MEDIA_TYPE",
          message: `Send Content-Type: application/json${request.routeOptions.url === "/invocations" ? " or text/csv" : ""} (got ${request.headers["content-type"] ?? "none"}).`,
        },
      };
  }
  const status =
    typeof error.statusCode === "number" && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
  if (status < 500) return { status, body: { error: error.code ?? "BAD_REQUEST", message: error.message } };
  return { status, body: { error: "INTERNAL", message: `The server failed to answer: ${error.message}` } };
}

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandling(
  app: FastifyInstance,
  options: { bodyLimit: number; knownFields: () => readonly string[] },
): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = describe(error, request, options.bodyLimit, options.knownFields());
    // 503s (not ready, shutting down, at capacity) are the server working as designed: the client is told when to retry.
    if (status >= 500 && status !== 503) request.log.error({ err: error }, body.message);
    if (error instanceof OverloadedError) void reply.header("retry-after", String(error.retryAfterSeconds));
    if (request.routeOptions.config.mlflowErrors === true) body.error_code = MLFLOW_CODES[status] ?? "INTERNAL_ERROR";
    return reply.code(status).type("application/json; charset=utf-8").serializer(errorSerializer).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? "";
    // The UI mounts its own not-found handler under /ui: reaching this one there means the UI is not mounted.
    const ui =
      path === "/ui" || path.startsWith("/ui/")
        ? " This server runs without the web UI: `cellforge ui` or `npm start` serve it at /ui."
        : "";
    // A known path with another method (curl's -T uploads with PUT) is a 405 naming the method to use.
    const allowed = (["GET", "POST"] as const).filter((method) => app.hasRoute({ method, url: path }));
    if (allowed.length > 0) {
      const curl = request.method === "PUT" ? " (curl's -T sends PUT: add -X POST)" : "";
      return reply
        .code(405)
        .header("allow", allowed.join(", "))
        .send({
          error: "METHOD_NOT_ALLOWED",
          message: `${path} takes ${allowed.join(" or ")}, not ${request.method}${allowed.includes("POST") ? curl : ""}.`,
        } satisfies ErrorBody);
    }
    return reply.code(404).send({
      error: "NOT_FOUND",
      message: `No route ${request.method} ${path}; the API is described at GET /docs and GET /openapi.json.${ui}`,
    } satisfies ErrorBody);
  });
}
