/** Sends a UI page: the shell of layout.ts around a body, with the headers every page carries. */
import type { FastifyReply } from "fastify";
import type { ModelVersion } from "../registry/registry-store.ts";
import type { Html } from "./html.ts";
import { page, type Section } from "./layout.ts";

// Scripts only from the server; inline styles for the heat map's cell colours; uPlot draws on canvas.
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** How a page differs from the default: uPlot loaded, a status other than 200, the whole screen width. */
export interface PageOptions {
  charts?: boolean;
  status?: number;
  wide?: boolean;
}

/** Replies with a whole page titled `title`, `section` highlighted in the navigation. */
export type SendPage = (
  reply: FastifyReply,
  title: string,
  section: Section | undefined,
  body: Html,
  extra?: PageOptions,
) => FastifyReply;

/** `train:3` for a served version, shown in the header and the registry; undefined when none is served. */
export function servedLabel(version: ModelVersion | undefined): string | undefined {
  return version === undefined ? undefined : `${version.name}:${version.version}`;
}

/** A SendPage whose header names the version `served()` returns at the time of each reply. */
export function pageSender(served: () => ModelVersion | undefined): SendPage {
  return (reply, title, section, body, extra = {}) =>
    reply
      .code(extra.status ?? 200)
      .type("text/html; charset=utf-8")
      .header("content-security-policy", CONTENT_SECURITY_POLICY)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "same-origin")
      .send(
        page({
          title,
          section,
          body,
          served: servedLabel(served()),
          ...(extra.charts === true ? { charts: true } : {}),
          ...(extra.wide === true ? { wide: true } : {}),
        }).text,
      );
}
