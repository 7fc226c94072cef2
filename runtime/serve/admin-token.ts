/** Checks `Authorization: Bearer <CELLFORGE_ADMIN_TOKEN>` headers, for POST /admin/reload and the UI's promote action. */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** What a request's Authorization header holds: no header, a wrong token (or not a bearer token), or the token. */
export type TokenCheck = "missing" | "wrong" | "ok";

/**
 * The admin token as configured, trimmed (a token pasted with a trailing newline or spaces would
 * otherwise never match what clients send); undefined when unset or blank, which disables admin actions.
 */
export function normalizedAdminToken(token: string | undefined): string | undefined {
  const trimmed = token?.trim();
  return trimmed === undefined || trimmed === "" ? undefined : trimmed;
}

/** A checker for `token` (trimmed); compares digests in constant time, so the answer's timing does not leak the token. */
export function adminTokenCheck(token: string): (header: string | undefined) => TokenCheck {
  const expected = digest(token.trim());
  return (header) => {
    if (header === undefined) return "missing";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return match !== null && timingSafeEqual(digest(match[1]!.trim()), expected) ? "ok" : "wrong";
  };
}
