/**
 * Cross-site request forgery protection for the UI's state-changing form (the alias move): a POST
 * must come from this site (Sec-Fetch-Site and Origin, which browsers set and pages cannot forge)
 * and carry, in an `x-csrf-token` header, the token the page was given in a SameSite=Strict
 * cookie (double submit: another site can neither read the cookie nor set the header).
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";
import { UiError } from "./errors.ts";

const COOKIE = "cellforge_csrf";
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The value of cookie `name` in a Cookie header. */
function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at !== -1 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

/** The page's token: the browser's cookie when it has a well-formed one, else a new one set as a cookie. */
export function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = cookieValue(request.headers.cookie, COOKIE);
  if (existing !== undefined && TOKEN.test(existing)) return existing;
  const token = randomBytes(32).toString("base64url");
  void reply.header("set-cookie", `${COOKIE}=${token}; Path=/ui; HttpOnly; SameSite=Strict`);
  return token;
}

/** Throws a 403 UiError unless `request` comes from this site with the token of its cookie. */
export function checkCsrf(request: FastifyRequest): void {
  const refuse = (why: string): never => {
    throw new UiError(
      403,
      "CSRF_REFUSED",
      `Refused: ${why}. Move aliases from this server's own /ui/models page (reload it if it has been open a long time).`,
    );
  };
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin") refuse(`the request came from another site (${String(site)})`);
  const origin = request.headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== request.headers.host) refuse(`the request came from ${origin}, not from this server`);
  }
  const cookie = cookieValue(request.headers.cookie, COOKIE);
  const header = request.headers["x-csrf-token"];
  if (cookie === undefined || typeof header !== "string") refuse("the page's CSRF token is missing");
  const a = Buffer.from(cookie!);
  const b = Buffer.from(header as string);
  if (a.length !== b.length || !timingSafeEqual(a, b)) refuse("the CSRF token does not match this browser's");
}
