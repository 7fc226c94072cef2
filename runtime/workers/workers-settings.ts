/**
 * Where the workers' queue is: the Redis URL (`CELLFORGE_REDIS_URL`, else `redis` in
 * conf/<env>/workers.yml, else a local Redis), the queue name and how soon a silent worker's job
 * is handed to another.
 */
import { loadConfigFile } from "../config/config-loader.ts";
import { ConfigError } from "../config/errors.ts";

/** The environment variable naming the Redis URL, over workers.yml. */
export const REDIS_URL_VARIABLE = "CELLFORGE_REDIS_URL";

/** The queue jobs go to unless told otherwise. */
export const DEFAULT_QUEUE = "cellforge";

/** The checked settings of workers.yml. */
export interface WorkersSettings {
  /** e.g. `redis://127.0.0.1:6379`. */
  redisUrl: string;
  queue: string;
  /** A job whose worker has not renewed its lock for this long is given to another worker. */
  lockDurationMs: number;
  /** Runs one warm run process executes before it is replaced (1: a fresh process per run). */
  runsPerProcess: number;
}

/** Runs a warm run process executes unless workers.yml says otherwise. */
export const DEFAULT_RUNS_PER_PROCESS = 20;

function positiveInteger(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1000)
    throw new ConfigError(`workers.yml: \`${key}\` must be a whole number of milliseconds, at least 1000.`);
  return value;
}

function runCount(value: unknown, key: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw new ConfigError(
      `workers.yml: \`${key}\` must be a whole number of runs, at least 1 (1 starts a fresh process for every run).`,
    );
  return value;
}

/** Reads conf/<env>/workers.yml over conf/base/ and the environment; `queue` (from --queue) wins over the file. */
export function workersSettings(
  root: string,
  env: string,
  options: { queue?: string; environment?: NodeJS.ProcessEnv } = {},
): WorkersSettings {
  const config = loadConfigFile(root, env, "workers.yml");
  const environment = options.environment ?? process.env;
  const fromFile = config["redis"];
  if (fromFile !== undefined && (typeof fromFile !== "string" || !/^rediss?:\/\//.test(fromFile)))
    throw new ConfigError("workers.yml: `redis` must be a Redis URL such as redis://127.0.0.1:6379.");
  const queue = options.queue ?? config["queue"] ?? DEFAULT_QUEUE;
  if (typeof queue !== "string" || !/^[A-Za-z0-9_.-]+$/.test(queue))
    throw new ConfigError(`The queue name must be letters, digits, '.', '_' or '-', not \`${JSON.stringify(queue)}\`.`);
  return {
    redisUrl: environment[REDIS_URL_VARIABLE] || fromFile || "redis://127.0.0.1:6379",
    queue,
    lockDurationMs: positiveInteger(config["lockDurationMs"], "lockDurationMs") ?? 30_000,
    runsPerProcess: runCount(config["runsPerProcess"], "runsPerProcess") ?? DEFAULT_RUNS_PER_PROCESS,
  };
}
