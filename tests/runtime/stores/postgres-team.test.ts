// The PostgreSQL store as a team uses it, with real `cellforge` processes: runs and model versions from
// several processes at once, a database stopped mid-run, migrations raced, a schema from a newer cellforge.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import pg from "pg";
import { openStores } from "../../../runtime/stores/store-backends.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";
import { postgresMissing, startPostgres, type PostgresServer } from "./postgres-server.ts";

let postgres: PostgresServer;
let project: FixtureProject;
if (postgresMissing !== undefined) console.warn(postgresMissing);

describe.skipIf(postgresMissing !== undefined)("a team's PostgreSQL store", () => {
  beforeAll(async () => {
    postgres = await startPostgres();
    project = createProject(["train", "slow"]);
  }, 60_000);
  afterAll(() => {
    project?.remove();
    postgres?.stop();
  });

  it("4 processes training at once record 4 runs and model versions 1–4, no gap, no duplicate", async () => {
    const uri = await postgres.createDatabase();
    const results = await Promise.all(
      [2, 3, 4, 5].map((epochs) =>
        project.cli(["run", "train", "--params", `epochs=${epochs}`], { CELLFORGE_TRACKING_URI: uri }),
      ),
    );
    for (const result of results) expect(result.code, result.stdout + result.stderr).toBe(0);
    const stores = await openStores(uri, { reconcile: false });
    try {
      expect((await stores.tracking.listRuns()).map((run) => run.status)).toEqual(Array(4).fill("FINISHED"));
      expect((await stores.registry.listModelVersions("train")).map((v) => v.version)).toEqual([1, 2, 3, 4]);
    } finally {
      await stores.close();
    }
    const listed = await project.cli(["models", "list"], { CELLFORGE_TRACKING_URI: uri });
    expect(listed.stdout).toMatch(/train/);
    expect(listed.stdout + listed.stderr).not.toContain("s3cret-pw");
  }, 240_000);

  it("a database stopped mid-run ends the command with one clear line naming the store (password masked); started again, the next run works", async () => {
    const uri = await postgres.createDatabase();
    const run = spawn(join(project.root, "node_modules/.bin/cellforge"), ["run", "slow", "--params", "wait_ms=1500"], {
      cwd: project.root,
      env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm", NO_COLOR: "1", CELLFORGE_TRACKING_URI: uri },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let stderr = "";
    run.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      run.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("slow step started")) resolve();
      });
      run.on("exit", () => reject(new Error(`cellforge run slow ended early:\n${output}${stderr}`)));
    });
    postgres.halt();
    const code = await new Promise<number | null>((resolve) => run.on("exit", (c) => resolve(c)));
    postgres.start();
    expect(code).not.toBe(0);
    const lines = stderr.trim().split("\n");
    expect(lines.at(-1)).toMatch(
      /Cannot reach the PostgreSQL tracking store at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\//,
    );
    expect(stderr + output).not.toContain("s3cret-pw");
    const again = await project.cli(["run", "slow", "--params", "wait_ms=10"], { CELLFORGE_TRACKING_URI: uri });
    expect(again.code, again.stderr).toBe(0);
  }, 120_000);

  it("a database stopped while a version is being recorded (its files written) ends the command with one line; no half version is visible, and the next run takes the next number", async () => {
    const uri = await postgres.createDatabase();
    // A laptop of its own: the tests above registered train:1–4 in the shared project's model folder.
    const laptop = createProject(["train"]);
    onTestFinished(() => laptop.remove());
    const team = { CELLFORGE_TRACKING_URI: uri };
    const first = await laptop.cli(["run", "train", "--params", "epochs=2"], team);
    expect(first.code, first.stderr).toBe(0);

    // Hold the versions table against writes (reads still pass), so the registration stops at its INSERT.
    const holder = new pg.Client({ connectionString: uri });
    const watcher = new pg.Client({ connectionString: uri });
    for (const client of [holder, watcher]) client.on("error", () => undefined);
    await holder.connect();
    await watcher.connect();
    await holder.query("BEGIN");
    await holder.query("LOCK TABLE model_versions IN EXCLUSIVE MODE");
    const run = spawn(join(laptop.root, "node_modules/.bin/cellforge"), ["run", "train", "--params", "epochs=3"], {
      cwd: laptop.root,
      env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm", NO_COLOR: "1", ...team },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    run.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    run.stdout.resume();
    const exited = new Promise<number | null>((resolve) => run.on("exit", (c) => resolve(c)));
    let ended = false;
    void exited.then(() => (ended = true));
    for (;;) {
      const { rows } = await watcher.query<{ waiting: number }>(
        "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO model_versions%'",
      );
      if (rows[0]!.waiting > 0) break;
      if (ended) throw new Error(`cellforge run train ended before recording its version:\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const version2 = join(laptop.root, ".cellforge/models/train/2");
    expect(existsSync(join(version2, "model/weights.bin"))).toBe(true);
    postgres.halt();
    const code = await exited;
    await Promise.all([holder.end().catch(() => undefined), watcher.end().catch(() => undefined)]);
    postgres.start();
    expect(code).not.toBe(0);
    expect(stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^cellforge run: Cannot reach the PostgreSQL tracking store at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\//,
      ),
    ]);

    // The written files are not a version: the store lists train:1 only, and the folder stays marked unfinished.
    const listed = await laptop.cli(["models", "show", "train"], team);
    expect(listed.stdout).toMatch(/version +1\b/);
    expect(existsSync(join(version2, ".registering"))).toBe(true);
    const next = await laptop.cli(["run", "train", "--params", "epochs=4"], team);
    expect(next.code, next.stderr).toBe(0);
    const stores = await openStores(uri, { reconcile: false });
    try {
      const versions = await stores.registry.listModelVersions("train");
      expect(versions.map((v) => v.version)).toEqual([1, 2]);
      expect(versions[1]!.runId).toBe(/^run ([0-9a-f]{32})/m.exec(next.stdout)![1]);
      expect(existsSync(join(version2, ".registering"))).toBe(false);
    } finally {
      await stores.close();
    }
  }, 300_000);

  it("runs started at once in a new experiment by several processes are all recorded", async () => {
    const uri = await postgres.createDatabase();
    const opened = await Promise.all([1, 2, 3, 4].map(() => openStores(uri, { reconcile: false })));
    try {
      for (const experiment of ["first", "second", "third"]) {
        const runs = await Promise.all(
          opened.map((stores) =>
            stores.tracking.createRun({
              experiment,
              pipeline: "train",
              params: {},
              tags: {},
              gitCommit: undefined,
              gitDirty: undefined,
              process: { pid: process.pid, host: "h", start: undefined },
            }),
          ),
        );
        for (const run of runs) expect(await opened[0]!.tracking.getRun(run.id)).toMatchObject({ experiment });
      }
    } finally {
      await Promise.all(opened.map((stores) => stores.close()));
    }
  }, 60_000);

  it("two processes opening a new database at once migrate it once; a schema newer than the code is refused", async () => {
    const uri = await postgres.createDatabase();
    const [a, b] = await Promise.all([openStores(uri), openStores(uri)]);
    await Promise.all([a.close(), b.close()]);
    const client = new pg.Client({ connectionString: uri });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>("SELECT version FROM cellforge_schema ORDER BY version");
      expect(rows.map((row) => row.version)).toEqual([1, 2, 3, 4, 5]);
      await client.query("INSERT INTO cellforge_schema VALUES (99, 'from the future', 0)");
    } finally {
      await client.end();
    }
    await expect(openStores(uri)).rejects.toThrow(
      /has schema version 99, newer than this cellforge knows \(5\): upgrade cellforge/,
    );
  }, 60_000);

  it("`cellforge tracking migrate` copies a local history (runs, metrics, models, aliases) once; a second time copies nothing", async () => {
    // A laptop of its own: the team tests above registered train:1–4 in the shared project's model folder.
    const project = createProject(["train"]);
    onTestFinished(() => project.remove());
    const local = await project.cli(["run", "train", "--params", "epochs=2"]);
    expect(local.code, local.stderr).toBe(0);
    const promoted = await project.cli(["models", "promote", "train", "1", "--alias", "champion"]);
    expect(promoted.code, promoted.stderr).toBe(0);
    const uri = await postgres.createDatabase();
    const file = join(project.root, ".cellforge/tracking.db");
    const first = await project.cli(["tracking", "migrate", "--from", file, "--to", uri]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      /^Copied 1 run\(s\) \(0 already there\), 1 model version\(s\) \(0 already there\) and 1 alias\(es\)/,
    );
    expect(first.stdout).toContain("postgresql://postgres:***@");
    expect(first.stdout).not.toContain("s3cret-pw");
    const second = await project.cli(["tracking", "migrate", "--from", file, "--to", uri]);
    expect(second.stdout).toMatch(
      /^Copied 0 run\(s\) \(1 already there\), 0 model version\(s\) \(1 already there\) and 0 alias\(es\)/,
    );
    const team = { CELLFORGE_TRACKING_URI: uri };
    const [localRuns, teamRuns] = await Promise.all([
      project.cli(["runs", "list"]),
      project.cli(["runs", "list"], team),
    ]);
    expect(teamRuns.stdout).toBe(localRuns.stdout);
    const runId = /^run ([0-9a-f]{32})/m.exec(local.stdout)![1]!;
    const [localShow, teamShow] = await Promise.all([
      project.cli(["runs", "show", runId]),
      project.cli(["runs", "show", runId], team),
    ]);
    expect(teamShow.stdout).toBe(localShow.stdout);
    const models = await project.cli(["models", "show", "train@champion"], team);
    expect(models.code, models.stderr).toBe(0);
    expect(models.stdout).toMatch(/version +1/);
  }, 120_000);

  it("`cellforge tracking migrate` does not copy a version whose number the team store gives to another run's model, nor its alias", async () => {
    // Another laptop registered train:1 in the team store; this one registered its own train:1 locally.
    const uri = await postgres.createDatabase();
    const team = { CELLFORGE_TRACKING_URI: uri };
    const other = createProject(["train"]);
    onTestFinished(() => other.remove());
    const theirs = await other.cli(["run", "train", "--params", "epochs=3"], team);
    expect(theirs.stdout).toContain("Model train version 1 registered");
    const project = createProject(["train"]);
    onTestFinished(() => project.remove());
    const mine = await project.cli(["run", "train", "--params", "epochs=2"]);
    expect(mine.stdout).toContain("Model train version 1 registered");
    expect((await project.cli(["models", "promote", "train", "1", "--alias", "champion"])).code).toBe(0);

    const file = join(project.root, ".cellforge/tracking.db");
    const copied = await project.cli(["tracking", "migrate", "--from", file, "--to", uri]);
    expect(copied.code).toBe(1);
    expect(copied.stdout).toMatch(
      /^Copied 1 run\(s\) \(0 already there\), 0 model version\(s\) \(0 already there\) and 0 alias\(es\)/,
    );
    const myRun = /^run ([0-9a-f]{8})/m.exec(mine.stdout)![1]!;
    const theirRun = /^run ([0-9a-f]{8})/m.exec(theirs.stdout)![1]!;
    expect(copied.stderr).toContain(
      `Not copied: train:1 here is run ${myRun}'s model, but train:1 in the team store is run ${theirRun}'s.`,
    );
    const shown = await project.cli(["models", "show", "train"], team);
    expect(shown.stdout).toMatch(new RegExp(`^ +1 +\\S+ \\S+ +${theirRun} `, "m"));
    expect(shown.stdout).not.toContain("champion");
  }, 120_000);
});
