/**
 * Conservative security headers on every answer of the prediction server, as the web UI sends on
 * its pages: no MIME sniffing, no framing (clickjacking), no referrer to other origins, and a
 * Content-Security-Policy — none at all for JSON, and for the Swagger UI at /docs only this
 * server's own scripts (its styles are inline, as React writes them).
 */
import type { onSendHookHandler } from "fastify";

/** Nothing may load from a JSON answer opened in a browser. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
/** Swagger UI: its bundle from this server, inline styles, "Try it out" calling this server. */
export const DOCS_POLICY =
  "default-src 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** An onSend hook setting the headers; a Content-Security-Policy a route set itself (the UI's pages) is kept. */
export function securityHeaders(): onSendHookHandler {
  return (request, reply, payload, done) => {
    if (!reply.hasHeader("content-security-policy"))
      void reply.header("content-security-policy", request.url.startsWith("/docs") ? DOCS_POLICY : API_POLICY);
    void reply
      .header("x-content-type-options", "nosniff")
      .header("x-frame-options", "DENY")
      .header("referrer-policy", "same-origin");
    done(null, payload);
  };
}
