/** Cancelling a running job across machines: the command that queued it sets a key in Redis, the worker running it polls the key. */
import type { Redis } from "ioredis";

function key(queue: string, jobId: string): string {
  return `cellforge:${queue}:cancel:${jobId}`;
}

/** Asks whichever worker runs job `jobId` to cancel it (the request expires after a day). */
export async function requestCancel(redis: Redis, queue: string, jobId: string): Promise<void> {
  await redis.set(key(queue, jobId), "1", "EX", 24 * 3600);
}

/** Whether someone asked to cancel job `jobId`. */
export async function cancelRequested(redis: Redis, queue: string, jobId: string): Promise<boolean> {
  return (await redis.exists(key(queue, jobId))) === 1;
}
