/** GET /ui/assets/:file: the page script, the stylesheet and uPlot's files from node_modules; nothing else. */
import type { FastifyPluginAsync } from "fastify";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { UiError } from "../errors.ts";

const assets = join(dirname(fileURLToPath(import.meta.url)), "../assets");
const requireFromHere = createRequire(import.meta.url);

/** Files served under /ui/assets, by name. */
const ASSETS: Record<string, { path: () => string; type: string }> = {
  "ui.css": { path: () => join(assets, "ui.css"), type: "text/css; charset=utf-8" },
  "ui.js": { path: () => join(assets, "ui.js"), type: "text/javascript; charset=utf-8" },
  "uPlot.iife.min.js": {
    path: () => requireFromHere.resolve("uplot/dist/uPlot.iife.min.js"),
    type: "text/javascript; charset=utf-8",
  },
  "uPlot.min.css": { path: () => requireFromHere.resolve("uplot/dist/uPlot.min.css"), type: "text/css; charset=utf-8" },
};

/** Registers GET /ui/assets/:file. */
export const assetsRoute: FastifyPluginAsync = async (app) => {
  app.get<{ Params: { file: string } }>("/assets/:file", { schema: { hide: true } }, async (request, reply) => {
    const asset = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file] : undefined;
    if (asset === undefined) throw new UiError(404, "NOT_FOUND", `No asset ${request.params.file}.`);
    const body = await readFile(asset.path());
    return reply
      .type(asset.type)
      .header("cache-control", "no-cache")
      .header("x-content-type-options", "nosniff")
      .send(body);
  });
};
