/**
 * The Fastify application that serves one model contract: shared request/prediction schemas from
 * the registered version, strict Ajv validation, the error handler, metrics hooks, the OpenAPI
 * document and Swagger UI, and the route plugins. It knows the model's schemas from the start and
 * answers /health at once; predictions wait for a model in the slot (GET /ready says when).
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyServerOptions } from "fastify";
import type { FastifyValidationResult } from "fastify/types/schema.js";
import type { ModelVersion } from "../registry/registry-store.ts";
import { normalizedAdminToken } from "./admin-token.ts";
import { Batcher } from "./batcher.ts";
import { classFieldOf } from "./class-field.ts";
import { installErrorHandling } from "./error-handler.ts";
import { parseJsonBody } from "./json-body.ts";
import { securityHeaders } from "./security-headers.ts";
import { exampleFor } from "./example-record.ts";
import { ServingMetrics } from "./metrics.ts";
import { ModelSlot } from "./model-slot.ts";
import { adminRoutes, type ReloadOutcome } from "./routes/admin.ts";
import { echoRoute } from "./routes/echo.ts";
import { healthRoutes, RUNTIME_VERSION } from "./routes/health.ts";
import { invocationsRoute } from "./routes/invocations.ts";
import { metricsRoute } from "./routes/metrics.ts";
import { modelRoute } from "./routes/model.ts";
import { predictRoute } from "./routes/predict.ts";
import { PREDICTION_ID, REQUEST_ID, servingSchemas, type ServingSchemas } from "./schemas.ts";
import { ServedContract, ValidatedRows } from "./served-contract.ts";
import { ServedModel } from "./served-model.ts";
import { servedDocument } from "./served-document.ts";
import { ServerState } from "./server-state.ts";
import type { JsonSchema } from "../pipeline/definition.ts";
import type { ServingSettings } from "./serving-config.ts";

/** Routes mounted next to the serving ones (the web UI): registered on the application, told which version is served at each moment. */
export type ServerMount = (app: FastifyInstance, served: () => ModelVersion) => Promise<void>;

/** How to build the application. */
export interface ServerOptions {
  /** The version whose schemas make the contract (the model itself is loaded into the slot later). */
  version: ModelVersion;
  /** The reference the server serves, as shown in /model ("train@champion"). */
  reference: string;
  settings: ServingSettings;
  /** Enables POST /admin/reload with this bearer token. */
  adminToken?: string | undefined;
  /** What POST /admin/reload does. */
  reload?: () => Promise<ReloadOutcome>;
  /** Registers POST /echo, bench/serve.ts's baseline. */
  echo?: boolean;
  logger?: FastifyServerOptions["logger"];
  /** Overrides /metrics' exposition (under --workers: every worker's, aggregated). */
  exposition?: () => Promise<string>;
  /** The TF.js backend's description, for /model. */
  backend?: () => string | undefined;
  /** Registered after the serving routes, e.g. the web UI under /ui, which the command composes with the server. */
  mounts?: readonly ServerMount[];
}

/** The application and the parts its routes share. */
export interface ServingApp {
  app: FastifyInstance;
  slot: ModelSlot;
  batcher: Batcher;
  metrics: ServingMetrics;
  state: ServerState;
  schemas: ServingSchemas;
}

/** Node's http server options for a whole-request timeout of `ms` (0: none); headers must arrive within it too. */
function requestTimeouts(ms: number): {
  requestTimeout: number;
  headersTimeout?: number;
  connectionsCheckingInterval?: number;
} {
  if (ms === 0) return { requestTimeout: 0 };
  return {
    requestTimeout: ms,
    headersTimeout: Math.min(60_000, ms),
    connectionsCheckingInterval: Math.max(100, Math.min(2_000, Math.floor(ms / 4))),
  };
}

/** Builds (but does not start) the server for `options.version`'s contract. */
export async function buildServer(options: ServerOptions): Promise<ServingApp> {
  const { settings, version } = options;
  const schemas = servingSchemas(version.inputSchema, version.outputSchema);
  const slot = new ModelSlot();
  const state = new ServerState();
  const classField = classFieldOf(version.outputSchema);
  const metrics = new ServingMetrics(classField, () => batcher.queuedRows);
  const batcher = new Batcher({
    ...settings,
    // Rows go to the model version their request started on (it is kept until they are answered), else to the current one.
    predict: (rows, target) => (target instanceof ServedModel ? target.predict(rows) : slot.predict(rows)),
    hold: (target) => (target instanceof ServedModel ? target.hold() : undefined),
    onBatch: (report) => metrics.observeBatch(report),
    onReject: (reason) => metrics.observeRejection(reason),
    // With the model on its own thread, the next batch's features are written while the model computes the last.
    pipelineDepth: settings.modelThread ? 2 : 1,
  });

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: settings.bodyLimitBytes,
    // A client dribbling its body must not hold a connection (and its buffered bytes) forever. Node
    // reads the timeouts when the server is created (setting them later, as Fastify's own option
    // does, is not enough) and checks them every connectionsCheckingInterval ms, 30 s by default.
    requestTimeout: settings.requestTimeoutMs,
    http: requestTimeouts(settings.requestTimeoutMs),
    // Validation must refuse, never repair: no type coercion ("5" is not a number), no silent
    // removal of extra fields, no NaN/Infinity.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false, strictNumbers: true } },
  });
  // Validation follows the version served now: each route schema is compiled, once per version, by that
  // version's contract, whose PredictionRequest is its request schema (a reload may change it).
  const initial = new ServedContract(version);
  const contract = (): ServedContract => slot.model?.contract ?? initial;
  app.setValidatorCompiler(({ schema }) => {
    const validate: FastifyValidationResult = (data: unknown): boolean => {
      if (data instanceof ValidatedRows) {
        validate.errors = null;
        return true;
      }
      const compiled = contract().validator(schema as JsonSchema);
      const valid = compiled(data);
      validate.errors = compiled.errors as FastifyValidationResult["errors"];
      return valid;
    };
    return validate;
  });
  app.removeContentTypeParser("text/plain");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, parseJsonBody);
  installErrorHandling(app, { bodyLimit: settings.bodyLimitBytes, knownFields: () => contract().schemas.fields });
  // While draining, answers close their connection, so keep-alive clients do not hold the server open.
  // Callback-style hooks: they run on every request, and an async hook costs a promise each time.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (state.phase === "closing") void reply.header("connection", "close");
    done(null, payload);
  });
  app.addHook("onSend", securityHeaders());
  app.addHook("onResponse", (request, reply, done) => {
    metrics.observeRequest(
      request.routeOptions.url ?? "unmatched",
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });

  const example = exampleFor(version.inputSchema);
  app.addSchema(example === undefined ? schemas.request : { ...schemas.request, examples: [example] });
  app.addSchema(schemas.prediction);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: `${version.name} prediction service`,
        version: `${version.name}:${version.version}`,
        description: `Serves model \`${options.reference}\` (registered version ${version.version}) with cellforge ${RUNTIME_VERSION}. Request and response schemas come from the notebook's predict cell.`,
      },
      components: { securitySchemes: { adminToken: { type: "http", scheme: "bearer" } } },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        json["$id"] === REQUEST_ID || json["$id"] === PREDICTION_ID ? json["$id"] : `def-${i}`,
    },
  });

  await app.register(healthRoutes, { state, slot });
  await app.register(predictRoute, { batcher, schemas, contract, served: () => slot.model });
  await app.register(invocationsRoute, {
    batcher,
    schemas,
    contract,
    served: () => slot.model,
    bodyLimit: settings.bodyLimitBytes,
  });
  await app.register(modelRoute, {
    slot,
    state,
    reference: options.reference,
    classField,
    backend: options.backend ?? (() => undefined),
  });
  await app.register(metricsRoute, {
    exposition: options.exposition ?? (() => metrics.exposition()),
    contentType: metrics.contentType,
  });
  const adminToken = normalizedAdminToken(options.adminToken);
  if (adminToken !== undefined && options.reload !== undefined) {
    await app.register(adminRoutes, { token: adminToken, reload: options.reload });
  }
  if (options.echo === true) await app.register(echoRoute, { schemas });
  for (const mount of options.mounts ?? []) await mount(app, () => slot.model?.version ?? version);
  // The document is generated once from the routes; the served version's schemas are put in it at each request.
  const openapi = (): Record<string, unknown> => servedDocument(app.swagger() as Record<string, unknown>, contract());
  app.get("/openapi.json", { schema: { hide: true } }, async () => openapi());
  await app.register(swaggerUi, { routePrefix: "/docs", transformSpecification: () => openapi() });
  return { app, slot, batcher, metrics, state, schemas };
}
