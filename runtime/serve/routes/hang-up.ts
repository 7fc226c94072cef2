/** An AbortSignal that fires when the client closes its connection before its answer is sent, so its queued rows can leave the batcher's queue. */
import type { FastifyReply } from "fastify";

/** The signal for `reply`'s request. */
export function hangUpSignal(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once("close", () => {
    if (!reply.raw.writableEnded) controller.abort();
  });
  return controller.signal;
}
