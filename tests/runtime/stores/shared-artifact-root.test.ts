// A team's shared artifact root, with real `cellforge` processes: a model trained and registered in one
// project folder is served from another that has no copy of its own, when both point at one store and
// one root; a corrupted file there is refused with its digests; a root that is not mounted is one line.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../../../runtime/serve/model-server.ts";
import { openStores } from "../../../runtime/stores/store-backends.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";
import { postgresMissing, startPostgres, type PostgresServer } from "./postgres-server.ts";

if (postgresMissing !== undefined) console.warn(postgresMissing);

/** Two project folders (two machines' checkouts) and one shared folder for the artifact root. */
interface Team {
  trainer: FixtureProject;
  server: FixtureProject;
  share: string;
  remove(): void;
}

function team(): Team {
  const trainer = createProject(["train"]);
  const server = createProject(["train"]);
  const share = mkdtempSync(join(tmpdir(), "cellforge-share-"));
  return {
    trainer,
    server,
    share,
    remove() {
      trainer.remove();
      server.remove();
      rmSync(share, { recursive: true, force: true });
    },
  };
}

/** The serving machine's conf/local/tracking.yml: the store and the root, the root given relative to its project. */
function configureServer(t: Team, uri: string): void {
  t.server.write("conf/local/tracking.yml", `uri: ${uri}\nartifacts:\n  root: ${relative(t.server.root, t.share)}\n`);
}

async function predict(server: ModelServer): Promise<Response> {
  return fetch(`${server.url}/predict`, {
    method: "POST",
    body: JSON.stringify({ x1: 1, x2: 2 }),
    headers: { "content-type": "application/json" },
  });
}

/** Trains and registers in the trainer's folder, with the root given by the environment. */
async function trainOn(t: Team, uri: string, epochs: number): Promise<void> {
  const result = await t.trainer.cli(["run", "train", "--params", `epochs=${epochs}`], {
    CELLFORGE_TRACKING_URI: uri,
    CELLFORGE_ARTIFACT_ROOT: t.share,
  });
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

/** Registered on one machine, served from the other; the versions' records hold root-relative locations. */
async function servedFromTheOtherFolder(t: Team, uri: string): Promise<ModelServer> {
  await trainOn(t, uri, 2);
  expect(existsSync(join(t.share, "models/train/1"))).toBe(true);
  expect(existsSync(join(t.trainer.root, ".cellforge/models"))).toBe(false);
  const stores = await openStores(uri, { reconcile: false });
  try {
    const [version] = await stores.registry.listModelVersions("train");
    const files = version!.artifacts.flatMap((a) => a.files.map((f) => f.path));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^models\/train\/1\//);
  } finally {
    await stores.close();
  }
  configureServer(t, uri);
  const server = await startModelServer({ cwd: t.server.root, adminToken: "s3cret", settings: { port: 0 } });
  const answer = await predict(server);
  expect(answer.status, await answer.clone().text()).toBe(200);
  expect(existsSync(join(t.server.root, ".cellforge/models"))).toBe(false);
  return server;
}

describe.skipIf(postgresMissing !== undefined)("a shared artifact root with the PostgreSQL store", () => {
  let postgres: PostgresServer;
  let t: Team;
  const servers: ModelServer[] = [];
  beforeAll(async () => {
    postgres = await startPostgres();
    t = team();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    t?.remove();
    postgres?.stop();
  });

  it("a version registered in one project folder is served from another; a corrupted file is refused and the old version stays served", async () => {
    const uri = await postgres.createDatabase();
    const server = await servedFromTheOtherFolder(t, uri);
    servers.push(server);
    expect((await (await fetch(`${server.url}/model`)).json()) as object).toMatchObject({ version: 1 });

    await trainOn(t, uri, 3);
    const weights = join(t.share, "models/train/2/model/weights.bin");
    const original = readFileSync(weights);
    const changed = Buffer.from(original);
    changed[0] = changed[0]! ^ 0xff;
    chmodSync(weights, 0o644);
    writeFileSync(weights, changed);
    const refused = await fetch(`${server.url}/admin/reload`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json", authorization: "Bearer s3cret" },
    });
    expect(refused.status).toBe(409);
    const { message } = (await refused.json()) as { message: string };
    expect(message).toContain(`Refusing to load train:2: ${weights} does not have the sha256 recorded`);
    expect(message).toMatch(/expected [0-9a-f]{64}, found [0-9a-f]{64}/);
    expect(message).toMatch(/Restore the file, or register a new version/);
    expect(message).toMatch(/train:1 is still served/);
    expect((await (await fetch(`${server.url}/model`)).json()) as object).toMatchObject({ version: 1 });
    expect((await predict(server)).status).toBe(200);

    const shown = await t.server.cli(["serve", "train:2", "--port", "0"]);
    expect(shown.code).not.toBe(0);
    expect(shown.stderr).toContain(`${weights} does not have the sha256 recorded`);
    expect(shown.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);

  it("a root that is not there (an unmounted share) stops `run` and `serve` at the start with one line naming it and its setting", async () => {
    const uri = await postgres.createDatabase();
    const missing = join(t.share, "not-mounted");
    const run = await t.trainer.cli(["run", "train"], {
      CELLFORGE_TRACKING_URI: uri,
      CELLFORGE_ARTIFACT_ROOT: missing,
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      `cellforge run: The artifact root ${missing} (set by the CELLFORGE_ARTIFACT_ROOT environment variable) does not exist: ` +
        `mount the shared folder there, or point the setting at where it is mounted on this machine.`,
    ]);
    t.server.write("conf/local/tracking.yml", `uri: ${uri}\nartifacts:\n  root: ${missing}\n`);
    const serve = await t.server.cli(["serve", "--port", "0"]);
    expect(serve.code).toBe(1);
    expect(serve.stderr.trim().split("\n")).toHaveLength(1);
    expect(serve.stderr).toContain(
      `The artifact root ${missing} (set by \`artifacts.root\` in conf/<env>/tracking.yml) does not exist`,
    );
    const stores = await openStores(uri, { reconcile: false });
    try {
      expect(await stores.tracking.listRuns()).toEqual([]);
    } finally {
      await stores.close();
    }
  }, 120_000);
});

describe("a shared artifact root with the embedded store", () => {
  let t: Team;
  let server: ModelServer | undefined;
  beforeAll(() => {
    t = team();
  });
  afterAll(async () => {
    await server?.close();
    t?.remove();
  });

  it("two project folders with one store file and one root: trained in one, served from the other", async () => {
    server = await servedFromTheOtherFolder(t, `sqlite:${join(t.share, "tracking.db")}`);
  }, 240_000);
});
