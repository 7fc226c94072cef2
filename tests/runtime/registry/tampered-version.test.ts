// A registered version whose weights were modified on disk is refused when loaded to serve, at start and on a reload.
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProjectRegistry } from "../../../runtime/stores/project-stores.ts";
import { startModelServer, type ModelServer } from "../../../runtime/serve/model-server.ts";
import type { FixtureProject } from "../fixture-project.ts";
import { registeredProject } from "../serve/registered-model.ts";

let project: FixtureProject;
const servers: ModelServer[] = [];
beforeAll(async () => {
  project = await registeredProject(2);
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  project.remove();
});

/** Flips one byte of `path` in place: same size, other content. */
function tamper(path: string): () => void {
  const original = readFileSync(path);
  const changed = Buffer.from(original);
  changed[changed.length - 1] = changed[changed.length - 1]! ^ 0xff;
  chmodSync(path, 0o644);
  writeFileSync(path, changed);
  return () => writeFileSync(path, original);
}

describe("a tampered model version", () => {
  it("is refused on a reload with the file and version named, and the server keeps serving the current version", async () => {
    const opened = await openProjectRegistry({ cwd: project.root });
    await opened.registry.promote("train", 1, "champion");
    const server = await startModelServer({ cwd: project.root, adminToken: "s3cret", settings: { port: 0 } });
    servers.push(server);
    const restore = tamper(join(project.root, ".cellforge/models/train/2/model/weights.bin"));
    try {
      await opened.registry.promote("train", 2, "champion");
      const refused = await fetch(`${server.url}/admin/reload`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
      });
      expect(refused.status).toBe(409);
      const body = (await refused.json()) as { error: string; message: string };
      expect(Object.keys(body).sort()).toEqual(["error", "message"]);
      expect(body.error).toBe("RELOAD_REFUSED");
      expect(body.message).toMatch(
        /^Refusing to load train:2: \.cellforge\/models\/train\/2\/model\/weights\.bin does not have the sha256 recorded when train:2 was registered/,
      );
      expect(body.message).toMatch(/train:1 is still served/);
      expect((await (await fetch(`${server.url}/model`)).json()) as object).toMatchObject({ version: 1 });
      const predicted = await fetch(`${server.url}/predict`, {
        method: "POST",
        body: JSON.stringify({ x1: 1, x2: 2 }),
        headers: { "content-type": "application/json" },
      });
      expect(predicted.status).toBe(200);
    } finally {
      restore();
      await opened.registry.promote("train", 2, "champion");
      await opened.close();
    }
  });

  it("is refused when the server starts on it", async () => {
    const restore = tamper(join(project.root, ".cellforge/models/train/2/scaler/scaler.json"));
    try {
      const failed = await startModelServer({ cwd: project.root, settings: { port: 0 } }).then(
        (server) => {
          servers.push(server);
          return undefined;
        },
        (error: unknown) => error,
      );
      expect(String(failed)).toMatch(
        /Refusing to load train:2: \.cellforge\/models\/train\/2\/scaler\/scaler\.json does not have the sha256 recorded/,
      );
    } finally {
      restore();
    }
  });
});
