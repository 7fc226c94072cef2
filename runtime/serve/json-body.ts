/**
 * The server's application/json parser. Fastify's default one answers every body it refuses with
 * one error, so a body with a `__proto__` key (refused by secure-json-parse) got the message meant
 * for bad JSON ("JSON has no NaN or Infinity"). This one parses with JSON.parse, which makes such
 * a key an ordinary own property, never a prototype; validation then refuses it by name like any
 * unknown field ("unknown field `__proto__`"). Nothing downstream copies a body with Object.assign.
 */
import type { FastifyBodyParser } from "fastify";
import { ServeError } from "./errors.ts";
import { parseJsonInTurns, PIECE_BYTES } from "./json-in-turns.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** When the whole body had arrived (performance.now()): the batcher counts a request's wait in the queue from there. */
    bodyReceivedAt?: number;
  }
}

/** A body that is not JSON, or is empty. */
export class InvalidJsonError extends ServeError {
  constructor(message: string) {
    super("INVALID_JSON", message, 400);
  }
}

const NOT_JSON =
  "The request body is not valid JSON. (JSON has no NaN or Infinity: send a number, or null where the schema allows it.)";

/** Parses a JSON body (Fastify's body limit applies before it runs); a big one in pieces (json-in-turns.ts). */
export const parseJsonBody: FastifyBodyParser<Buffer> = (request, body, done) => {
  request.bodyReceivedAt = performance.now();
  if (body.length === 0) {
    done(new InvalidJsonError("The request body is empty; send a JSON object."), undefined);
    return;
  }
  if (body.length <= PIECE_BYTES) {
    // At once: a small body is a fraction of a millisecond of parsing, and a promise per request costs more.
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      done(new InvalidJsonError(NOT_JSON), undefined);
      return;
    }
    done(null, value);
    return;
  }
  parseJsonInTurns(body).then(
    (value) => done(null, value),
    () => done(new InvalidJsonError(NOT_JSON), undefined),
  );
};
