/** Checks `Authorization: Bearer <CELLFORGE_ADMIN_TOKEN>` headers, for POST /admin/reload and the UI's promote action. */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/** What a request's Authorization header holds: no header, a wrong token (or not a bearer token), or the token. */
export type TokenCheck = "missing" | "wrong" | "ok";

/** A checker for `token`; compares digests in constant time, so the answer's timing does not leak the token. */
export function adminTokenCheck(token: string): (header: string | undefined) => TokenCheck {
  const expected = digest(token);
  return (header) => {
    if (header === undefined) return "missing";
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return match !== null && timingSafeEqual(digest(match[1]!.trim()), expected) ? "ok" : "wrong";
  };
}
