import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteRegistryStore } from "../../../runtime/registry/sqlite-registry-store.ts";
import { currentProcess } from "../../../runtime/tracking/process-identity.ts";
import { SqliteNodeStateStore } from "../../../runtime/tracking/sqlite-node-state-store.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";

const FIXTURE = join(import.meta.dirname, "../../fixtures/tracking/better-sqlite3.db");
const RUN_ID = "7a06a8ea570d44469ac52093fe49ec9f";
const a = (c: string) => c.repeat(64);

let folder: string;
let store: SqliteTrackingStore;
let registry: SqliteRegistryStore;
let nodeStates: SqliteNodeStateStore;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "cellforge-existing-db-"));
  copyFileSync(FIXTURE, join(folder, "tracking.db"));
  store = SqliteTrackingStore.open(join(folder, "tracking.db"));
  registry = new SqliteRegistryStore(store.db);
  nodeStates = new SqliteNodeStateStore(store.db);
});
afterEach(async () => {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
});

/** Every key of every object inside `value`, so a driver's extra row field shows wherever it hides. */
function allKeys(value: unknown): Set<string> {
  const keys = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") {
      for (const [key, inner] of Object.entries(v)) {
        keys.add(key);
        visit(inner);
      }
    }
  };
  visit(value);
  return keys;
}

describe("a tracking database written by the previous driver (better-sqlite3)", () => {
  it("opens as it is: the run with its metrics, artifacts, inputs and logs, the node state, the model version and its alias", async () => {
    const run = (await store.getRun(RUN_ID.slice(0, 8)))!;
    expect(run).toStrictEqual({
      id: RUN_ID,
      experiment: "pokemon",
      pipeline: "train",
      status: "FINISHED",
      startTime: 1796479387584,
      endTime: 1796479387591,
      gitCommit: "abc123",
      gitDirty: false,
      params: { epochs: 5, layers: [8, 4] },
      tags: { "cellforge.env": "local" },
      error: undefined,
      metrics: { accuracy: 0.81, loss: 0.3 },
      metricHistory: [
        { key: "accuracy", value: 0.81, step: 0, timestamp: 1796479387590 },
        { key: "loss", value: 0.9, step: 0, timestamp: 1796479387589 },
        { key: "loss", value: 0.5, step: 1, timestamp: 1796479387590 },
        { key: "loss", value: 0.3, step: 2, timestamp: 1796479387590 },
      ],
      artifacts: [{ path: "data/06_models/model/model.json", sha256: a("a"), size: 902, dataset: "model" }],
      inputs: [{ name: "pokemon", digest: a("b"), rows: 1025, path: "data/01_raw/pokemon.csv" }],
      logs: [{ node: "clean", level: "warn", message: "3 rows dropped", timestamp: 1 }],
    });
    const { metricHistory: _h, artifacts: _a, inputs: _i, logs: _l, ...info } = run;
    expect(await store.listRuns()).toStrictEqual([info]);
    expect(await nodeStates.getNodeState("train", "clean")).toStrictEqual({
      fingerprint: a("f"),
      outputs: { cleaned: a("c") },
      metrics: [{ name: "rows", value: 1022 }],
      logged: [],
      runId: RUN_ID,
      updatedAt: 1700000000000,
    });
    expect(await registry.getModelVersion("train", 1)).toStrictEqual({
      name: "train",
      version: 1,
      runId: RUN_ID,
      createdAt: 1796479387596,
      artifacts: [{ path: "model/model.json", sha256: a("a"), size: 902 }],
      inputSchema: { type: "object" },
      outputSchema: { type: "object" },
      metrics: { accuracy: 0.81 },
      trainingDataDigest: a("d"),
      inputs: [{ name: "pokemon", digest: a("b"), rows: 1025, path: "data/01_raw/pokemon.csv" }],
      predictCodeHash: a("e"),
      aliases: ["champion"],
    });
    expect(await registry.listModels()).toStrictEqual([
      { name: "train", latestVersion: 1, versions: 1, aliases: { champion: 1 }, updatedAt: 1796479387596 },
    ]);
  });

  it("takes new runs, metrics and model versions, and what it answers carries only the stores' own fields", async () => {
    const run = await store.createRun({
      experiment: "pokemon",
      pipeline: "train",
      params: {},
      tags: {},
      gitCommit: undefined,
      gitDirty: undefined,
      process: currentProcess(),
    });
    await store.logMetric(run.id, "loss", 0.2, 3);
    await store.endRun(run.id, "FINISHED");
    const version = await registry.addModelVersion(
      {
        name: "train",
        runId: run.id,
        inputSchema: {},
        outputSchema: {},
        metrics: {},
        trainingDataDigest: undefined,
        inputs: [],
      },
      2,
      [],
    );
    expect(version.version).toBe(2);
    expect(await registry.setAlias("train", "champion", 2)).toBe(1);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([run.id, RUN_ID]);
    const answers = [
      await store.getRun(run.id),
      await store.getRun(RUN_ID),
      await store.listRuns(),
      await nodeStates.getNodeState("train", "clean"),
      await registry.listModelVersions("train"),
      await registry.listModels(),
      await registry.getAlias("train", "champion"),
    ];
    expect(JSON.stringify(answers)).not.toContain("_metadata");
    expect([...allKeys(answers)].filter((key) => key.startsWith("_"))).toEqual([]);
    expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");
  });
});
