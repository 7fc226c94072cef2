// What every store backend must do, one suite over the backends: the embedded SQLite file and a real PostgreSQL (a throwaway cluster).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sha256 } from "../../../runtime/catalog/digest.ts";
import { ModelVersionTakenError } from "../../../runtime/registry/errors.ts";
import { openStores } from "../../../runtime/stores/store-backends.ts";
import type { Stores } from "../../../runtime/stores/stores.ts";
import {
  ArtifactIntegrityError,
  ArtifactKeyTakenError,
  type ArtifactEntry,
  type ArtifactFile,
  type ArtifactStore,
} from "../../../runtime/tracking/artifact-store.ts";
import { LocalArtifactStore } from "../../../runtime/tracking/local-artifact-store.ts";
import { matchesRunFilter, readRunFilter, runFieldNamesOf } from "../../../runtime/tracking/run-filter.ts";
import type { NewRun, RunStatus } from "../../../runtime/tracking/store.ts";

import { postgresMissing, startPostgres, type PostgresServer } from "./postgres-server.ts";

let postgres: PostgresServer | undefined;
if (postgresMissing !== undefined) console.warn(postgresMissing);
beforeAll(async () => {
  if (postgresMissing === undefined) postgres = await startPostgres();
}, 60_000);
afterAll(() => postgres?.stop());

/** Each backend: a name and a tracking URI for a fresh, empty database in `folder`. */
const backends: { name: string; uri: (folder: string) => Promise<string> }[] = [
  { name: "sqlite", uri: async (folder) => `sqlite:${join(folder, "tracking.db")}` },
  ...(postgresMissing === undefined ? [{ name: "postgresql", uri: () => postgres!.createDatabase() }] : []),
];

/** A run to record: its params, tags, latest metrics, end status and pipeline. */
interface RunSpec {
  params?: Record<string, unknown>;
  tags?: Record<string, string>;
  metrics?: Record<string, number>;
  status?: RunStatus;
  pipeline?: string;
}

const me = { pid: process.pid, host: "contract-host", start: undefined };

function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return {
    experiment: "exp",
    pipeline: "train",
    params: {},
    tags: {},
    gitCommit: undefined,
    gitDirty: undefined,
    process: me,
    ...overrides,
  };
}

describe.each(backends)("the $name stores", ({ name, uri }) => {
  let folder: string;
  let stores: Stores;
  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), "cellforge-contract-"));
    stores = await openStores(await uri(folder), { reconcile: false });
  });
  afterEach(async () => {
    await stores.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Records a run with these params, tags, latest metrics and end status. */
  async function record(run: RunSpec): Promise<string> {
    const created = await stores.tracking.createRun(
      newRun({ params: run.params ?? {}, tags: run.tags ?? {}, pipeline: run.pipeline ?? "train" }),
    );
    for (const [key, value] of Object.entries(run.metrics ?? {}))
      await stores.tracking.logMetric(created.id, key, value, 1);
    if (run.status !== undefined && run.status !== "RUNNING") await stores.tracking.endRun(created.id, run.status);
    return created.id;
  }

  it("records a run's life: params, metric history with the latest value, artifacts, end status; ends only a RUNNING run", async () => {
    const run = await stores.tracking.createRun(newRun({ params: { epochs: 3 }, tags: { team: "dex" } }));
    expect(run).toMatchObject({ status: "RUNNING", params: { epochs: 3 }, tags: { team: "dex" }, metrics: {} });
    await stores.tracking.logMetric(run.id, "loss", 2, 0);
    await stores.tracking.logMetric(run.id, "loss", 1, 1);
    await stores.tracking.logArtifact(run.id, { path: "data/model.json", sha256: "ab", size: 2, dataset: "model" });
    await stores.tracking.endRun(run.id, "FINISHED");
    await stores.tracking.endRun(run.id, "KILLED", "too late");
    const details = (await stores.tracking.getRun(run.id.slice(0, 10)))!;
    expect(details).toMatchObject({ status: "FINISHED", error: undefined, metrics: { loss: 1 } });
    expect(details.metricHistory.map((m) => [m.step, m.value])).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(details.artifacts).toEqual([{ path: "data/model.json", sha256: "ab", size: 2, dataset: "model" }]);
  });

  it("keeps node states apart from runs", async () => {
    const state = {
      fingerprint: "f1",
      outputs: { sum: "d" },
      metrics: [{ name: "score", value: 2, step: undefined }],
      logged: [],
      runId: undefined,
      updatedAt: 5,
    };
    await stores.nodeStates.putNodeState("train", "fit", state);
    expect(await stores.nodeStates.getNodeState("train", "fit")).toEqual(state);
    expect(await stores.nodeStates.getNodeState("train", "other")).toBeUndefined();
    expect(await stores.tracking.listRuns()).toEqual([]);
  });

  it("numbers model versions per name and points aliases at them", async () => {
    const schema = { type: "object" };
    const add = (name: string, version: number) =>
      stores.registry.addModelVersion(
        {
          name,
          runId: undefined,
          inputSchema: schema,
          outputSchema: schema,
          metrics: {},
          trainingDataDigest: undefined,
          inputs: [],
        },
        version,
        [],
      );
    expect((await add("train", 1)).version).toBe(1);
    expect((await add("train", 2)).version).toBe(2);
    expect((await add("other", 1)).version).toBe(1);
    await expect(add("train", 2)).rejects.toThrow(ModelVersionTakenError);
    expect(await stores.registry.setAlias("train", "champion", 1)).toBeUndefined();
    expect(await stores.registry.setAlias("train", "champion", 2)).toBe(1);
    expect((await stores.registry.getModelVersion("train", 2))?.aliases).toEqual(["champion"]);
    expect((await stores.registry.listModels()).map((m) => [m.name, m.latestVersion, m.aliases])).toEqual([
      ["other", 1, {}],
      ["train", 2, { champion: 2 }],
    ]);
  });

  describe("searchRuns", () => {
    /** Runs whose fields are of every kind a filter meets: numbers, numbers as text, booleans, nested, missing, NaN metrics. */
    const runs: RunSpec[] = [
      {
        params: { epochs: 50, optimizer: "adam", model: { units: 64 }, lr: 0.1 },
        tags: { team: "dex", "cellforge.env": "local" },
        metrics: { accuracy: 0.35 },
        status: "FINISHED",
      },
      {
        params: { epochs: 50, optimizer: "sgd", lr: 0.01 },
        tags: { team: "lab" },
        metrics: { accuracy: 0.25, loss: 1 },
        status: "FINISHED",
      },
      { params: { epochs: 10, shuffle: true }, metrics: {}, status: "FAILED" },
      {
        params: { epochs: "50", optimizer: null, layers: [64, 32] },
        metrics: { accuracy: Number.NaN },
        status: "KILLED" as const,
        pipeline: "other",
      },
      {
        params: { epochs: " 7 ", model: { units: "64" } },
        tags: { team: "dex" },
        metrics: { accuracy: 0.9 },
        status: "RUNNING",
      },
      { params: { epochs: "many", lr: 1e-7 }, metrics: { accuracy: 0.3 }, status: "FINISHED" },
    ];
    const filters = [
      "metrics.accuracy > 0.3 and params.epochs = 50",
      "metrics.accuracy >= 0.3",
      "metrics.accuracy != 0.35",
      "metrics.accuracy = 'null'",
      "metrics.loss != 1",
      "params.epochs = 50",
      "params.epochs != 50",
      "params.epochs < 8",
      "params.epochs = '50'",
      "params.optimizer = 'sgd'",
      "params.optimizer != 'sgd'",
      "params.optimizer = 'null'",
      "params.shuffle = 'true'",
      "params.shuffle = 1",
      "params.model.units >= 64",
      "params.model.units = '64'",
      "params.layers.0 = 64",
      "params.lr = 0.01",
      "params.lr = '1e-7'",
      "params.lr != '0.1'",
      "params.optimizer > 'b'",
      "tags.team = dex and status = finished",
      "tags.cellforge.env = local",
      "tags.team != dex",
      "status != RUNNING",
      "attributes.status = KILLED",
      "status = 1",
      "pipeline = other",
      "pipeline != train and experiment = exp",
      "attributes.start_time > 0",
      "params.missing != 3",
      "metrics.accuracy > 0.3 or params.optimizer = 'sgd'",
      "(tags.team = dex or status = failed) and params.epochs != 10",
      "params.optimizer LIKE 'a%' or params.optimizer like '_GD'",
      "params.optimizer ILIKE '_GD' or tags.team ilike 'DE%'",
      "params.epochs IN (10, '50') or tags.team NOT IN ('lab')",
      "status in ('failed', 'KILLED')",
      "status NOT IN ('finished') and pipeline like 'tr%'",
      "metrics.accuracy IN (0.25, 0.9) or metrics.loss NOT IN (1)",
      "tags.`cellforge.env` = 'local' or run_id = 'nope'",
      "params.optimizer ilike 'ADÄM' or attributes.end_time > 0",
    ];

    it("returns, newest first, exactly the runs each filter matches (as matchesRunFilter reads them), with and without a limit", async () => {
      for (const run of runs) await record(run);
      const all = await stores.tracking.listRuns();
      // A page reads its metrics in another way than the whole list on PostgreSQL: the same runs, NaN included.
      expect(await stores.tracking.listRuns({ limit: 4 })).toEqual(all.slice(0, 4));
      for (const text of filters) {
        const filter = readRunFilter(text);
        const expected = all.filter((run) => matchesRunFilter(run, filter)).map((run) => run.id);
        expect(
          (await stores.tracking.searchRuns({ filter })).map((run) => run.id),
          text,
        ).toEqual(expected);
        expect(
          (await stores.tracking.searchRuns({ filter, limit: 1 })).map((run) => run.id),
          `${text} (limit 1)`,
        ).toEqual(expected.slice(0, 1));
      }
      expect(
        (
          await stores.tracking.searchRuns({
            pipeline: "train",
            status: "FINISHED",
            filter: readRunFilter("metrics.accuracy > 0"),
          })
        ).length,
      ).toBe(3);
    });

    it("names the metrics and parameters the runs have, as runFieldNamesOf reads them from the runs", async () => {
      for (const run of runs) await record(run);
      expect(await stores.tracking.runFieldNames()).toEqual(runFieldNamesOf(await stores.tracking.listRuns()));
      expect(await stores.tracking.runFieldNames({ pipeline: "other" })).toEqual(
        runFieldNamesOf(await stores.tracking.listRuns({ pipeline: "other" })),
      );
    });

    // Fewer on PostgreSQL, whose every write is a network round trip: enough for the filter to choose among.
    const many = name === "sqlite" ? 5000 : 2000;
    it(`finds the right runs among ${many} by a metric, a parameter, a tag and the status`, async () => {
      const ids: { id: string; accuracy: number; epochs: number; team: string; status: RunStatus }[] = [];
      for (let i = 0; i < many; i++) {
        const run = {
          accuracy: (i % 100) / 100,
          epochs: 10 + (i % 7),
          team: i % 3 === 0 ? "dex" : "lab",
          status: (i % 5 === 0 ? "FAILED" : "FINISHED") as RunStatus,
        };
        ids.push({
          id: await record({
            params: { epochs: run.epochs },
            tags: { team: run.team },
            metrics: { accuracy: run.accuracy },
            status: run.status,
          }),
          ...run,
        });
      }
      const filter = readRunFilter(
        "metrics.accuracy > 0.9 and params.epochs = 12 and tags.team = dex and status = FINISHED",
      );
      const expected = ids
        .filter((r) => r.accuracy > 0.9 && r.epochs === 12 && r.team === "dex" && r.status === "FINISHED")
        .map((r) => r.id)
        .reverse();
      expect(expected.length).toBeGreaterThan(5);
      expect((await stores.tracking.searchRuns({ filter })).map((run) => run.id)).toEqual(expected);
      expect((await stores.tracking.searchRuns({ filter, limit: 3 })).map((run) => run.id)).toEqual(
        expected.slice(0, 3),
      );
    }, 120_000);
  });
});

/** Each artifact store: a name and a fresh, empty store over `folder` (the project root there). */
const artifactStores: { name: string; open: (root: string) => ArtifactStore }[] = [
  { name: "local folder", open: (root) => new LocalArtifactStore(root, join(root, ".cellforge/models")) },
];

describe.each(artifactStores)("the $name artifact store", ({ open }) => {
  let root: string;
  let store: ArtifactStore;
  let file: ArtifactFile;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "cellforge-artifacts-"));
    mkdirSync(join(root, "run/model"), { recursive: true });
    writeFileSync(join(root, "run/model/weights.bin"), "weights");
    writeFileSync(join(root, "run/labels.json"), "[1]");
    file = { relative: "weights.bin", sha256: sha256("weights"), size: 7 };
    store = open(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const entries = (): ArtifactEntry[] => [
    { name: "model", source: join(root, "run/model"), folder: true, expected: [file] },
    {
      name: "labels",
      source: join(root, "run/labels.json"),
      folder: false,
      expected: [{ relative: "labels.json", sha256: sha256("[1]"), size: 3 }],
    },
  ];

  it("puts folders and files under a key, read back by location and verified by sha256", async () => {
    const stored = await store.put("train/1", entries());
    await store.settle("train/1");
    expect(stored.map((e) => e.name)).toEqual(["model", "labels"]);
    expect(readFileSync(store.path(stored[0]!.files[0]!.location), "utf8")).toBe("weights");
    expect(readFileSync(store.path(stored[1]!.location), "utf8")).toBe("[1]");
    expect(await store.verify(stored.flatMap((e) => e.files))).toEqual([]);
    expect(await store.list("")).toEqual(["train"]);
    expect(await store.list("train")).toEqual(["train/1"]);
    await store.remove("train/1");
    expect(await store.list("train")).toEqual([]);
    expect(await store.verify(stored[0]!.files)).toEqual([
      { location: stored[0]!.files[0]!.location, expected: file.sha256, actual: undefined },
    ]);
  });

  it("refuses a copy whose sha256 is not the expected one, and a settled key; replaces a key left pending", async () => {
    const tampered = entries();
    tampered[0] = { ...tampered[0]!, expected: [{ ...file, sha256: sha256("other") }] };
    await expect(store.put("train/1", tampered)).rejects.toThrow(ArtifactIntegrityError);
    expect(await store.list("train")).toEqual([]);
    await store.put("train/1", entries());
    // Not settled: as a registration killed before the database recorded it.
    await store.put("train/1", entries());
    await store.settle("train/1");
    await expect(store.put("train/1", entries())).rejects.toThrow(ArtifactKeyTakenError);
  });
});
