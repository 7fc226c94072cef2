// The stores open from one tracking URI: CELLFORGE_TRACKING_URI, else tracking.yml (`uri`, or `path` as before), else .cellforge/tracking.db.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStores, UnsupportedTrackingUriError } from "../../../runtime/stores/store-backends.ts";
import { trackingSettings } from "../../../runtime/tracking/tracking-settings.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-stores-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("the tracking URI", () => {
  it("defaults to the SQLite file .cellforge/tracking.db of the project", () => {
    expect(trackingSettings(root, {}, {}).uri).toBe(`sqlite:${join(root, ".cellforge/tracking.db")}`);
  });

  it("keeps tracking.yml's `path`, takes a `uri` (relative SQLite paths under the project, MLflow's sqlite:/// too), and refuses both", () => {
    expect(trackingSettings(root, { path: "db/runs.db" }, {}).uri).toBe(`sqlite:${join(root, "db/runs.db")}`);
    expect(trackingSettings(root, { uri: "sqlite:db/runs.db" }, {}).uri).toBe(`sqlite:${join(root, "db/runs.db")}`);
    expect(trackingSettings(root, { uri: "sqlite:///db/runs.db" }, {}).uri).toBe(`sqlite:${join(root, "db/runs.db")}`);
    expect(trackingSettings(root, { uri: "sqlite:////tmp/x/runs.db" }, {}).uri).toBe("sqlite:/tmp/x/runs.db");
    expect(trackingSettings(root, { uri: "postgresql://u:p@db/cellforge" }, {}).uri).toBe(
      "postgresql://u:p@db/cellforge",
    );
    expect(() => trackingSettings(root, { uri: "sqlite:a.db", path: "b.db" }, {})).toThrow(
      /gives both `uri` and `path`: keep one/,
    );
  });

  it("takes CELLFORGE_TRACKING_URI over tracking.yml", () => {
    const settings = trackingSettings(
      root,
      { path: "db/runs.db" },
      { CELLFORGE_TRACKING_URI: "sqlite:shared/team.db" },
    );
    expect(settings.uri).toBe(`sqlite:${join(root, "shared/team.db")}`);
  });
});

describe("the artifact root", () => {
  it("is unset by default (versions in the project's models folder), and set by `artifacts.root` (relative to the project) or CELLFORGE_ARTIFACT_ROOT, which wins", () => {
    const local = trackingSettings(root, { artifacts: ".cellforge/artifacts" }, {});
    expect(local.artifactRoot).toBeUndefined();
    expect(local.modelsPath).toBe(join(root, ".cellforge/models"));
    expect(local.artifactsPath).toBe(join(root, ".cellforge/artifacts"));
    const shared = trackingSettings(root, { models: ".cellforge/models", artifacts: { root: "../share" } }, {});
    expect(shared.artifactRoot?.path).toBe(join(root, "../share"));
    expect(shared.modelsPath).toBe(join(root, "../share/models"));
    expect(shared.artifactsPath).toBe(join(root, ".cellforge/artifacts"));
    const fromEnvironment = trackingSettings(
      root,
      { artifacts: { root: "../share" } },
      { CELLFORGE_ARTIFACT_ROOT: "/mnt/team" },
    );
    expect(fromEnvironment.artifactRoot).toEqual({
      path: "/mnt/team",
      setBy: "the CELLFORGE_ARTIFACT_ROOT environment variable",
    });
  });

  it("refuses an `artifacts` mapping with an unknown key or a root that is not a path", () => {
    expect(() => trackingSettings(root, { artifacts: { rot: "/mnt" } }, {})).toThrow(
      /`artifacts` has unknown key\(s\) rot; known: root, runs/,
    );
    expect(() => trackingSettings(root, { artifacts: { root: 3 } }, {})).toThrow(
      /`artifacts.root` must be a non-empty string/,
    );
    expect(() => trackingSettings(root, { artifacts: [1] }, {})).toThrow(/must be a folder path .* or a mapping/);
  });
});

describe("openStores", () => {
  it("opens the tracking, registry and node-state stores of a sqlite: URI on one file", async () => {
    const stores = await openStores(`sqlite:${join(root, "t/tracking.db")}`);
    try {
      expect(existsSync(join(root, "t/tracking.db"))).toBe(true);
      const run = await stores.tracking.createRun({
        experiment: "e",
        pipeline: "p",
        params: {},
        tags: {},
        gitCommit: undefined,
        gitDirty: undefined,
        process: { pid: process.pid, host: "h", start: undefined },
      });
      await stores.nodeStates.putNodeState("p", "n", {
        fingerprint: "f",
        outputs: {},
        metrics: [],
        logged: [],
        runId: run.id,
        updatedAt: 1,
      });
      expect((await stores.nodeStates.getNodeState("p", "n"))?.runId).toBe(run.id);
      expect(await stores.registry.listModels()).toEqual([]);
    } finally {
      await stores.close();
    }
  });

  it("refuses a scheme it has no backend for, naming the supported ones, without showing a password", async () => {
    const error = await openStores("mysql://cellforge:secret@db.example/cellforge").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedTrackingUriError);
    expect((error as UnsupportedTrackingUriError).code).toBe("TRACKING_URI_UNSUPPORTED");
    expect((error as Error).message).toMatch(
      /^No store backend for `mysql:` \(tracking URI `mysql:\/\/cellforge:\*\*\*@db\.example\/cellforge`\); supported: sqlite:, postgresql:, postgres:\./,
    );
    expect((error as Error).message).not.toContain("secret");
    await expect(openStores("runs.db")).rejects.toThrow(/has no scheme; supported: sqlite:/);
    await expect(openStores("constructor:x")).rejects.toThrow(UnsupportedTrackingUriError);
  });

  it("says in one line that a PostgreSQL store cannot be reached, naming it with the password masked", async () => {
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, "127.0.0.1", () => {
        const address = server.address() as AddressInfo;
        server.close(() => done(address.port));
      });
    });
    const error = await openStores(`postgresql://team:hunter2@127.0.0.1:${port}/runs`).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("STORE_UNREACHABLE");
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Cannot reach the PostgreSQL tracking store at postgresql://team:\\*\\*\\*@127\\.0\\.0\\.1:${port}/runs \\(.*ECONNREFUSED.*\\): start the server`,
      ),
    );
    expect((error as Error).message).not.toContain("hunter2");
    expect((error as Error).message).not.toContain("\n");
  });
});
