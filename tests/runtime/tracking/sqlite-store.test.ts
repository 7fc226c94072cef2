import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentProcess, isProcessAlive } from "../../../runtime/tracking/process-identity.ts";
import { SCHEMA_VERSION } from "../../../runtime/tracking/sqlite-database.ts";
import { SqliteDatabase } from "../../../runtime/tracking/sqlite-driver.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import type { NewRun } from "../../../runtime/tracking/store.ts";

const exec = promisify(execFile);
let folder: string;
let store: SqliteTrackingStore;
const path = () => join(folder, "tracking.db");

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "cellforge-store-"));
  store = SqliteTrackingStore.open(path());
});
afterEach(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

const newRun = (overrides: Partial<NewRun> = {}): NewRun => ({
  experiment: "pokemon",
  pipeline: "train",
  params: { epochs: 5, layers: [8, 4] },
  tags: { "cellforge.env": "local" },
  gitCommit: "abc123",
  gitDirty: true,
  process: currentProcess(),
  ...overrides,
});

describe("the SQLite tracking store", () => {
  it("records a run's life: RUNNING, then FINISHED with an end time; ending twice keeps the first status", async () => {
    const run = await store.createRun(newRun());
    expect(run).toMatchObject({
      status: "RUNNING",
      experiment: "pokemon",
      pipeline: "train",
      params: { epochs: 5, layers: [8, 4] },
      gitCommit: "abc123",
      gitDirty: true,
    });
    expect(run.id).toMatch(/^[0-9a-f]{32}$/);
    await store.endRun(run.id, "FINISHED");
    await store.endRun(run.id, "KILLED");
    const ended = (await store.getRun(run.id))!;
    expect(ended.status).toBe("FINISHED");
    expect(ended.endTime).toBeGreaterThanOrEqual(ended.startTime);
  });

  it("keeps metric step history and the latest value per metric (NaN included)", async () => {
    const { id } = await store.createRun(newRun());
    for (const [step, loss] of [0.9, 0.5, 0.3].entries()) await store.logMetric(id, "loss", loss, step);
    await store.logMetric(id, "loss", 0.7, 1); // a late write of an earlier step does not become the latest
    await store.logMetric(id, "accuracy", 0.81);
    await store.logMetric(id, "diverged", Number.NaN);
    const run = (await store.getRun(id))!;
    expect(run.metrics).toEqual({ accuracy: 0.81, diverged: Number.NaN, loss: 0.3 });
    expect(run.metricHistory.filter((m) => m.key === "loss").map((m) => [m.step, m.value])).toEqual([
      [0, 0.9],
      [1, 0.5],
      [1, 0.7],
      [2, 0.3],
    ]);
  });

  it("records artifacts, input datasets (rows completed later) and logs", async () => {
    const { id } = await store.createRun(newRun());
    await store.logArtifact(id, {
      path: "data/06_models/model/model.json",
      sha256: "a".repeat(64),
      size: 902,
      dataset: "model",
    });
    await store.logInput(id, {
      name: "pokemon",
      digest: "b".repeat(64),
      rows: undefined,
      path: "data/01_raw/pokemon.csv",
    });
    await store.logInput(id, { name: "pokemon", digest: "b".repeat(64), rows: 1025, path: "data/01_raw/pokemon.csv" });
    await store.logInput(id, {
      name: "pokemon",
      digest: "b".repeat(64),
      rows: undefined,
      path: "data/01_raw/pokemon.csv",
    });
    await store.logMessage(id, { node: "clean", level: "warn", message: "3 rows dropped", timestamp: 1 });
    const run = (await store.getRun(id))!;
    expect(run.artifacts).toEqual([
      { path: "data/06_models/model/model.json", sha256: "a".repeat(64), size: 902, dataset: "model" },
    ]);
    expect(run.inputs).toEqual([
      { name: "pokemon", digest: "b".repeat(64), rows: 1025, path: "data/01_raw/pokemon.csv" },
    ]);
    expect(run.logs).toEqual([{ node: "clean", level: "warn", message: "3 rows dropped", timestamp: 1 }]);
  });

  it("finds runs by id prefix and refuses an ambiguous prefix", async () => {
    const runs = await Promise.all(Array.from({ length: 40 }, () => store.createRun(newRun())));
    const one = runs[0]!;
    expect((await store.getRun(one.id.slice(0, 10)))!.id).toBe(one.id);
    expect((await store.getRun(one.id.toUpperCase()))!.id).toBe(one.id);
    expect(await store.getRun("zzz")).toBeUndefined();
    const shared = runs.map((r) => r.id[0]).find((c, i, all) => all.indexOf(c) !== i)!;
    await expect(store.getRun(shared)).rejects.toThrow(new RegExp(`^Run id prefix \`${shared}\` matches \\d+ runs`));
  });

  it("lists runs newest first, filtered by pipeline and status, with a limit", async () => {
    const a = await store.createRun(newRun({ pipeline: "a" }));
    const b = await store.createRun(newRun({ pipeline: "b" }));
    await store.endRun(b.id, "FAILED", "boom");
    expect((await store.listRuns()).map((r) => r.id)).toEqual([b.id, a.id]);
    expect((await store.listRuns({ pipeline: "a" })).map((r) => r.id)).toEqual([a.id]);
    expect((await store.listRuns({ status: "FAILED" }))[0]).toMatchObject({ id: b.id, error: "boom" });
    expect(await store.listRuns({ limit: 1 })).toHaveLength(1);
  });

  it("marks KILLED the RUNNING runs whose process is gone, including a reused pid", async () => {
    const { stdout } = await exec(process.execPath, ["-e", "console.log(process.pid)"]);
    const deadPid = Number(stdout.trim());
    const me = currentProcess();
    const alive = await store.createRun(newRun());
    const dead = await store.createRun(newRun({ process: { pid: deadPid, host: hostname(), start: undefined } }));
    const reused = await store.createRun(
      newRun({ process: { ...me, start: me.start === undefined ? undefined : "1" } }),
    );
    const elsewhere = await store.createRun(
      newRun({ process: { pid: deadPid, host: "another-host", start: undefined } }),
    );
    const marked = await store.markAbandonedRuns(isProcessAlive);
    expect(marked.sort()).toEqual((me.start === undefined ? [dead.id] : [dead.id, reused.id]).sort());
    expect((await store.getRun(dead.id))!.status).toBe("KILLED");
    expect((await store.getRun(dead.id))!.error).toMatch(/ended without finishing the run/);
    expect((await store.getRun(alive.id))!.status).toBe("RUNNING");
    expect((await store.getRun(elsewhere.id))!.status).toBe("RUNNING");
  });

  it("applies versioned migrations once, and refuses a database from a newer cellforge", async () => {
    const again = SqliteTrackingStore.open(path());
    expect(again.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(again.db.pragma("journal_mode", { simple: true })).toBe("wal");
    await again.close();
    const raw = new SqliteDatabase(path(), { busyTimeoutMs: 0 });
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => SqliteTrackingStore.open(path())).toThrow(/newer than this cellforge knows/);
  });

  it("takes writes from several processes at once (WAL, busy timeout)", async () => {
    const { id } = await store.createRun(newRun());
    const script = `
      import { SqliteTrackingStore } from ${JSON.stringify(join(import.meta.dirname, "../../../runtime/tracking/sqlite-store.ts"))};
      const store = SqliteTrackingStore.open(${JSON.stringify(path())});
      for (let i = 0; i < 300; i++) await store.logMetric(${JSON.stringify(id)}, "writer" + process.argv[1], i, i);
      await store.close();`;
    await Promise.all(
      ["1", "2", "3"].map((n) => exec(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, n])),
    );
    const run = (await store.getRun(id))!;
    expect(run.metricHistory).toHaveLength(900);
    expect(run.metrics).toEqual({ writer1: 299, writer2: 299, writer3: 299 });
  });
});
