/** The server's settings: conf/base/serving.yml, overridden by conf/<env>/serving.yml, then by command-line options. */
import { loadConfigFile, type ConfigMapping } from "../config/config-loader.ts";
import { ServingConfigError } from "./errors.ts";

/** Batching and admission settings of the micro-batcher. */
export interface BatchingSettings {
  /** Most rows one predict call gets; a bigger request is split into calls of this size. */
  maxBatchSize: number;
  /**
   * Most rows one predict call gets while big requests have the model to themselves: no request of at most
   * `maxBatchSize` rows arrived in the last 10 s. Fewer, bigger calls cost less per row; a request that then arrives
   * waits behind the one or two calls under way. Never fewer than `maxBatchSize`.
   */
  maxBatchSizeAlone: number;
  /** How long the first queued row waits for company before its batch runs; 0 runs with whatever arrived in the same event-loop turn. */
  maxWaitMs: number;
  /** Most rows waiting in the queue; a request that would exceed it is answered 503 with Retry-After. */
  maxQueueRows: number;
  /** A request that would wait longer than this before its first row runs (estimated from measured batch latency) is answered 503 with Retry-After. */
  maxQueueLatencyMs: number;
}

/** Everything serving.yml can set. */
export interface ServingSettings extends BatchingSettings {
  host: string;
  port: number;
  /** Largest request body accepted, in bytes (413 beyond). */
  bodyLimitBytes: number;
  /** Most time a client may take to send a whole request (headers and body), in ms; 408 and the connection closed beyond. 0: no limit. */
  requestTimeoutMs: number;
  /** Whether the model's forward passes run on a thread of their own (predict cells that await `inferBatch`), overlapping the event loop's parsing and answering. */
  modelThread: boolean;
}

/** Defaults, tuned with bench/serve.ts on a 2-core machine (see conf/base/serving.yml). */
export const DEFAULT_SERVING_SETTINGS: Readonly<ServingSettings> = Object.freeze({
  host: "127.0.0.1",
  port: 3000,
  maxBatchSize: 128,
  maxBatchSizeAlone: 512,
  maxWaitMs: 0,
  maxQueueRows: 20_000,
  maxQueueLatencyMs: 2_000,
  bodyLimitBytes: 16 * 1024 * 1024,
  requestTimeoutMs: 30_000,
  modelThread: true,
});

type Kind = "string" | "port" | "count" | "duration" | "switch";

const KEYS: Record<string, { setting: keyof ServingSettings; kind: Kind }> = {
  host: { setting: "host", kind: "string" },
  port: { setting: "port", kind: "port" },
  max_batch_size: { setting: "maxBatchSize", kind: "count" },
  max_batch_size_alone: { setting: "maxBatchSizeAlone", kind: "count" },
  max_wait_ms: { setting: "maxWaitMs", kind: "duration" },
  max_queue_rows: { setting: "maxQueueRows", kind: "count" },
  max_queue_latency_ms: { setting: "maxQueueLatencyMs", kind: "duration" },
  body_limit_bytes: { setting: "bodyLimitBytes", kind: "count" },
  request_timeout_ms: { setting: "requestTimeoutMs", kind: "duration" },
  model_thread: { setting: "modelThread", kind: "switch" },
};

const EXPECTED: Record<Exclude<Kind, "string" | "switch">, [string, (n: number) => boolean]> = {
  port: ["a port number (0–65535)", (n) => Number.isInteger(n) && n >= 0 && n <= 65535],
  count: ["a positive whole number", (n) => Number.isInteger(n) && n > 0],
  duration: ["a number of milliseconds ≥ 0", (n) => Number.isFinite(n) && n >= 0],
};

function checked(key: string, value: unknown, kind: Kind): string | number | boolean {
  if (kind === "switch") {
    if (typeof value !== "boolean")
      throw new ServingConfigError(`serving.yml: \`${key}\` must be true or false, not ${JSON.stringify(value)}.`);
    return value;
  }
  if (kind === "string") {
    if (typeof value !== "string" || value === "")
      throw new ServingConfigError(`serving.yml: \`${key}\` must be a non-empty string.`);
    return value;
  }
  const [expected, valid] = EXPECTED[kind];
  if (typeof value !== "number" || !valid(value))
    throw new ServingConfigError(`serving.yml: \`${key}\` must be ${expected}, not ${JSON.stringify(value)}.`);
  return value;
}

/** Settings from a parsed serving.yml mapping over the defaults; unknown keys and bad values are errors. */
export function servingSettings(config: ConfigMapping): ServingSettings {
  const settings: ServingSettings = { ...DEFAULT_SERVING_SETTINGS };
  for (const [key, value] of Object.entries(config)) {
    const known = KEYS[key];
    if (known === undefined)
      throw new ServingConfigError(`serving.yml has unknown key \`${key}\`; known: ${Object.keys(KEYS).join(", ")}.`);
    if (value === null || value === undefined) continue;
    (settings as unknown as Record<string, string | number | boolean>)[known.setting] = checked(key, value, known.kind);
  }
  return settings;
}

/** The project's serving settings for environment `env`. */
export function loadServingSettings(root: string, env: string): ServingSettings {
  return servingSettings(loadConfigFile(root, env, "serving.yml"));
}
