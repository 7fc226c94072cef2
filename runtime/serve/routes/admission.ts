/**
 * An onRequest hook for the prediction routes: when the queue is already past its bounds, the
 * request is answered 503 with Retry-After before its body is read, so that under overload a
 * refusal costs microseconds rather than the parsing and validation of a body that will not be
 * served. (The batcher checks again with the request's real row count once it is parsed.)
 */
import type { onRequestHookHandler } from "fastify";
import type { Batcher } from "../batcher.ts";

/** The hook for `batcher`'s queue. */
export function admission(batcher: Batcher): onRequestHookHandler {
  return (_request, _reply, done) => {
    done(batcher.refusal(1));
  };
}
