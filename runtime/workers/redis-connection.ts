/**
 * Connections to the workers' Redis: checked once up front, so that an unreachable Redis is one
 * clear error naming the URL instead of ioredis reconnecting (and logging) forever.
 */
import { Redis } from "ioredis";

/** Redis could not be reached at the configured URL. */
export class RedisUnavailableError extends Error {
  readonly code = "REDIS_UNAVAILABLE";
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(
      `Cannot reach Redis at ${url} (${cause instanceof Error ? cause.message : String(cause)}): ` +
        "start redis-server there, or point CELLFORGE_REDIS_URL or `redis` in conf/<env>/workers.yml at your Redis.",
      { cause },
    );
    this.name = "RedisUnavailableError";
  }
}

/** Shown instead of the password of a URL. */
export function displayUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}

/** Connects to `url` and checks it answers; rejects with RedisUnavailableError within a few seconds otherwise. */
export async function connectRedis(url: string): Promise<Redis> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    probe.disconnect();
    throw new RedisUnavailableError(displayUrl(url), error);
  }
  probe.disconnect();
  // BullMQ needs blocking commands to wait forever; a lost connection is retried with a capped back-off, reported once.
  const client = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 500, 5000),
  });
  let reported = false;
  client.on("error", (error: Error) => {
    if (reported) return;
    reported = true;
    console.error(`cellforge: lost the connection to Redis at ${displayUrl(url)} (${error.message}); retrying.`);
  });
  client.on("ready", () => {
    if (reported) console.error(`cellforge: connected to Redis at ${displayUrl(url)} again.`);
    reported = false;
  });
  return client;
}
