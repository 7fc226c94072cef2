// What a registered version holds is what its run trained, whatever else writes data/ or the database meanwhile.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import type { FileDataset } from "../../../runtime/catalog/file-dataset.ts";
import { definePipeline } from "../../../runtime/pipeline/definition.ts";
import { ModelIntegrityError, VersionFolderConflictError } from "../../../runtime/registry/errors.ts";
import { ModelRegistry } from "../../../runtime/registry/model-registry.ts";
import { SqliteRegistryStore } from "../../../runtime/registry/sqlite-registry-store.ts";
import { currentProcess } from "../../../runtime/tracking/process-identity.ts";
import { keepRunCopy } from "../../../runtime/tracking/run-artifacts.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import type { RunDetails } from "../../../runtime/tracking/store.ts";

let root: string;
let dbPath: string;
let store: SqliteTrackingStore;
let registry: ModelRegistry;
let catalog: Catalog;

const pipeline = definePipeline({
  name: "pokemon",
  source: "notebooks/pokemon.ipynb",
  nodes: [],
  parameters: { defaults: {}, schema: {} },
  predict: {
    artifacts: ["weights"],
    create:
      ({ weights }: { weights: number[] }) =>
      (rows: { hp: number }[]) =>
        rows.map((r) => ({ score: r.hp * weights[0]! })),
    inputSchema: { type: "object", properties: { hp: { type: "integer" } }, required: ["hp"] },
    outputSchema: { type: "object", properties: { score: { type: "number" } } },
    codeHash: "predict-v1",
  },
});

function openRegistry(): { store: SqliteTrackingStore; registry: ModelRegistry } {
  const opened = SqliteTrackingStore.open(dbPath);
  return {
    store: opened,
    registry: new ModelRegistry(new SqliteRegistryStore(opened.db), root, join(root, ".cellforge/models")),
  };
}

/** A run that saves `weights` to the shared catalog path and keeps its own copy, as `cellforge run` does. */
async function trainRun(weights: number[], on: SqliteTrackingStore = store): Promise<RunDetails> {
  const run = await on.createRun({
    experiment: "pokemon",
    pipeline: "pokemon",
    params: { weights },
    tags: {},
    gitCommit: undefined,
    gitDirty: undefined,
    process: currentProcess(),
  });
  await catalog.save("weights", weights);
  const source = (catalog.get("weights") as FileDataset<unknown>).savePath();
  for (const record of await keepRunCopy({
    root,
    artifactsPath: join(root, ".cellforge/artifacts"),
    runId: run.id,
    dataset: "weights",
    source,
  }))
    await on.logArtifact(run.id, record);
  return (await on.getRun(run.id))!;
}

function register(run: RunDetails, on: ModelRegistry = registry) {
  return on.register({
    pipeline,
    catalog,
    runId: run.id,
    artifacts: run.artifacts,
    metrics: { accuracy: run.params["weights"] === undefined ? 0 : 1 },
    inputs: [],
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-registration-"));
  dbPath = join(root, ".cellforge/tracking.db");
  ({ store, registry } = openRegistry());
  catalog = new Catalog({ weights: { type: "json", path: "data/06_models/weights.json" } }, { root });
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe("registering a run's model", () => {
  it("registers the run's own weights even when another run rewrote data/06_models before it registered", async () => {
    const first = await trainRun([1, 1]);
    await trainRun([2, 2]); // a concurrent run saves over the shared file
    const { version } = await register(first);
    expect(version.runId).toBe(first.id);
    expect(version.artifacts[0]!.sha256).toBe(first.artifacts[0]!.sha256);
    expect(await registry.loadArtifacts(version)).toEqual({ weights: [1, 1] });
  });

  it("returns the existing version with the same content, not only when it is the latest", async () => {
    const one = await trainRun([1, 1]);
    const two = await trainRun([2, 2]);
    expect((await register(one)).version.version).toBe(1);
    expect((await register(two)).version.version).toBe(2);
    const again = await register(await trainRun([1, 1]));
    expect(again).toMatchObject({ created: false, version: { version: 1 } });
    expect((await registry.listVersions("pokemon")).map((v) => v.artifacts[0]!.sha256)).toEqual([
      one.artifacts[0]!.sha256,
      two.artifacts[0]!.sha256,
    ]);
  });

  it("two registrations at once on two connections to one database: each version carries its own run's weights, and equal content once", async () => {
    const other = openRegistry();
    try {
      const runs = [
        await trainRun([1, 1]),
        await trainRun([2, 2], other.store),
        await trainRun([1, 1]),
        await trainRun([2, 2], other.store),
      ];
      const results = await Promise.all(runs.map((run, i) => register(run, i % 2 === 0 ? registry : other.registry)));
      const versions = await registry.listVersions("pokemon");
      expect(versions).toHaveLength(2);
      for (const version of versions) {
        const run = runs.find((r) => r.id === version.runId)!;
        expect(version.artifacts[0]!.sha256).toBe(run.artifacts[0]!.sha256);
      }
      expect(results.filter((r) => r.created)).toHaveLength(2);
      for (const [i, result] of results.entries())
        expect(result.version.artifacts[0]!.sha256).toBe(runs[i]!.artifacts[0]!.sha256);
    } finally {
      await other.store.close();
    }
  });

  it("refuses to load a version whose file was modified after registration, naming the file and the version", async () => {
    const { version } = await register(await trainRun([1, 1]));
    const file = join(root, version.artifacts[0]!.path);
    chmodSync(file, 0o644);
    writeFileSync(file, JSON.stringify([7, 7])); // same size
    const refused = await registry.loadArtifacts(version).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ModelIntegrityError);
    expect((refused as Error).message).toMatch(
      /^Refusing to load pokemon:1: \.cellforge\/models\/pokemon\/1\/weights\/weights\.json does not have the sha256 recorded when pokemon:1 was registered .*modified or corrupted\. Restore the file, or register a new version/,
    );
  });

  it("never overwrites a version folder that an emptied or recreated database does not know, and says what to do", async () => {
    await register(await trainRun([1, 1]));
    const folder = join(root, ".cellforge/models/pokemon/1");
    const before = readFileSync(join(folder, "weights/weights.json"), "utf8");
    await store.close();
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbPath}${suffix}`, { force: true });
    ({ store, registry } = openRegistry());
    const refused = await register(await trainRun([5, 5])).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(VersionFolderConflictError);
    expect((refused as Error).message).toContain(
      ".cellforge/models/pokemon/1/ already exists, but the tracking database has no version 1 of `pokemon` (was the database emptied or recreated, or did another tracking store register its versions in this folder?)",
    );
    expect((refused as Error).message).toContain(
      "or move the old versions away (mv .cellforge/models/pokemon .cellforge/models/pokemon.old)",
    );
    expect((refused as Error).message).toContain("give each tracking store a folder of its own");
    expect(readFileSync(join(folder, "weights/weights.json"), "utf8")).toBe(before);
    expect(await registry.listVersions("pokemon")).toEqual([]);
  });

  it("replaces a version folder left by its own interrupted registration (moved in, never committed)", async () => {
    const folder = join(root, ".cellforge/models/pokemon/1");
    mkdirSync(join(folder, "weights"), { recursive: true });
    writeFileSync(join(folder, "weights/weights.json"), "[9,9]");
    writeFileSync(join(folder, ".registering"), JSON.stringify({ pid: 999999, runId: "x" }));
    const { version, created } = await register(await trainRun([1, 1]));
    expect({ created, version: version.version }).toEqual({ created: true, version: 1 });
    expect(await registry.loadArtifacts(version)).toEqual({ weights: [1, 1] });
    expect(existsSync(join(folder, ".registering"))).toBe(false);
  });

  it("removes staging folders left by a registration killed mid-copy, and only those (never another machine's, in a shared root)", async () => {
    const models = join(root, ".cellforge/models");
    const mine = `.staging-${process.pid}-${currentProcess().start}-0123456789ab`;
    const here = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);
    const otherHost = `.staging-h${here === "00000000" ? "11111111" : "00000000"}-999997-0-cccccccccccc`;
    const names = [
      ".staging-999999-0-aaaaaaaaaaaa",
      ".staging-999998-bbbbbbbbbbbb",
      `.staging-h${here}-999996-0-dddddddddddd`,
    ];
    for (const name of [...names, mine, otherHost]) mkdirSync(join(models, name, "weights"), { recursive: true });
    await register(await trainRun([1, 1]));
    expect(
      readdirSync(models)
        .filter((n) => n.startsWith(".staging-"))
        .sort(),
    ).toEqual([mine, otherHost].sort());
  });
});
