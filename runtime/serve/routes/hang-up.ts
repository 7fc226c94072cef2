/** Tells the batcher when a client closes its connection before its answer is sent, so its queued rows can leave the queue. */
import type { FastifyReply } from "fastify";
import type { OnHangUp } from "../batcher.ts";

/** The hang-up hook for `reply`'s request. */
export function onHangUp(reply: FastifyReply): OnHangUp {
  return (cancel) => {
    reply.raw.once("close", () => {
      if (!reply.raw.writableEnded) cancel();
    });
  };
}
