import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { sha256 } from "../../../runtime/catalog/digest.ts";
import { definePipeline, type Pipeline } from "../../../runtime/pipeline/definition.ts";
import { BreakingSchemaError } from "../../../runtime/registry/errors.ts";
import { ModelRegistry } from "../../../runtime/registry/model-registry.ts";
import { SqliteRegistryStore } from "../../../runtime/registry/sqlite-registry-store.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import type { FileDataset } from "../../../runtime/catalog/file-dataset.ts";
import { currentProcess } from "../../../runtime/tracking/process-identity.ts";
import { keepRunCopy } from "../../../runtime/tracking/run-artifacts.ts";
import type { RunDetails } from "../../../runtime/tracking/store.ts";

let root: string;
let store: SqliteTrackingStore;
let registry: ModelRegistry;
let catalog: Catalog;

const inputSchema = {
  type: "object",
  properties: { hp: { type: "integer" }, speed: { type: "integer" }, nickname: { type: "string" } },
  required: ["hp", "speed"],
  additionalProperties: false,
};

function pokemonPipeline(
  schema: Record<string, unknown> = inputSchema,
  codeHash: string | null = "predict-v1",
): Pipeline {
  return definePipeline({
    name: "pokemon",
    source: "notebooks/pokemon.ipynb",
    nodes: [],
    parameters: { defaults: {}, schema: {} },
    predict: {
      artifacts: ["weights", "labels"],
      create:
        ({ weights, labels }: { weights: number[]; labels: string[] }) =>
        (rows: { hp: number; speed: number }[]) =>
          rows.map((r) => ({ type: labels[r.hp * weights[0]! + r.speed * weights[1]! > 100 ? 1 : 0] })),
      inputSchema: schema,
      outputSchema: { type: "object", properties: { type: { type: "string" } } },
      ...(codeHash === null ? {} : { codeHash }),
    },
  });
}

/** A run that saved the catalog's current weights and labels, keeping its own copy of them as `cellforge run` does. */
async function trainedRun(runStore: SqliteTrackingStore = store): Promise<RunDetails> {
  const run = await runStore.createRun({
    experiment: "pokemon",
    pipeline: "pokemon",
    params: {},
    tags: {},
    gitCommit: undefined,
    gitDirty: undefined,
    process: currentProcess(),
  });
  for (const name of ["weights", "labels"]) {
    const source = (catalog.get(name) as FileDataset<unknown>).savePath();
    for (const record of await keepRunCopy({
      root,
      artifactsPath: join(root, ".cellforge/artifacts"),
      runId: run.id,
      dataset: name,
      source,
    }))
      await runStore.logArtifact(run.id, record);
  }
  return (await runStore.getRun(run.id))!;
}

async function registerRun(
  run: RunDetails,
  pipeline = pokemonPipeline(),
  metrics: Record<string, number> = { accuracy: 0.5 },
  on: ModelRegistry = registry,
) {
  return on.register({
    pipeline,
    catalog,
    runId: run.id,
    artifacts: run.artifacts,
    metrics,
    inputs: [{ name: "pokemon", digest: "d".repeat(64), rows: 1025, path: "data/01_raw/pokemon.csv" }],
  });
}

async function register(pipeline = pokemonPipeline(), metrics: Record<string, number> = { accuracy: 0.5 }) {
  return registerRun(await trainedRun(), pipeline, metrics);
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "cellforge-registry-"));
  store = SqliteTrackingStore.open(join(root, ".cellforge/tracking.db"));
  registry = new ModelRegistry(new SqliteRegistryStore(store.db), root, join(root, ".cellforge/models"));
  catalog = new Catalog(
    {
      weights: { type: "json", path: "data/06_models/weights.json" },
      labels: { type: "json", path: "data/06_models/labels.json" },
    },
    { root },
  );
  await catalog.save("weights", [1, 0.5]);
  await catalog.save("labels", ["normal", "dragon"]);
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe("the model registry", () => {
  it("registers a version: artifacts copied read-only into the model store with their sha256, schemas, metrics, data digest", async () => {
    const { version, created } = await register();
    expect(created).toBe(true);
    expect(version).toMatchObject({
      name: "pokemon",
      version: 1,
      metrics: { accuracy: 0.5 },
      inputSchema,
      aliases: [],
    });
    expect(version.trainingDataDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(version.artifacts.map((a) => [a.dataset, a.type, a.path])).toEqual([
      ["weights", "json", ".cellforge/models/pokemon/1/weights/weights.json"],
      ["labels", "json", ".cellforge/models/pokemon/1/labels/labels.json"],
    ]);
    for (const artifact of version.artifacts) {
      const file = join(root, artifact.path);
      expect(artifact.sha256).toBe(sha256(readFileSync(file)));
      expect(artifact.files).toEqual([{ path: artifact.path, sha256: artifact.sha256, size: statSync(file).size }]);
      expect(statSync(file).mode & 0o222).toBe(0);
    }
  });

  it("gives a new version only when the artifacts or schemas change", async () => {
    await register();
    expect(await register()).toMatchObject({ created: false, version: { version: 1 } });
    await catalog.save("weights", [2, 0.5]);
    expect(await register()).toMatchObject({ created: true, version: { version: 2 } });
    // Version 1 keeps its own copy.
    expect(JSON.parse(readFileSync(join(root, ".cellforge/models/pokemon/1/weights/weights.json"), "utf8"))).toEqual([
      1, 0.5,
    ]);
  });

  it("gives a new version when only the predict code changed, records that code, and finds the version with the same code again", async () => {
    await register();
    const edited = await register(pokemonPipeline(inputSchema, "predict-v2"));
    expect(edited).toMatchObject({ created: true, version: { version: 2, predictCodeHash: "predict-v2" } });
    expect(await register()).toMatchObject({ created: false, version: { version: 1, predictCodeHash: "predict-v1" } });
    expect((await registry.resolve("pokemon:1")).predictCodeHash).toBe("predict-v1");
  });

  it("never takes a version whose predict code is unknown (registered before it was recorded, or code without a hash) as the same model", async () => {
    expect(await register(pokemonPipeline(inputSchema, null))).toMatchObject({
      created: true,
      version: { version: 1 },
    });
    expect((await registry.resolve("pokemon:1")).predictCodeHash).toBeUndefined();
    expect(await register()).toMatchObject({ created: true, version: { version: 2, predictCodeHash: "predict-v1" } });
    expect(await register(pokemonPipeline(inputSchema, null))).toMatchObject({
      created: true,
      version: { version: 3 },
    });
  });

  it("resolves NAME (latest), NAME:VERSION and NAME@ALIAS, and loads a version's artifacts for predict", async () => {
    await register();
    await catalog.save("weights", [0, 0]);
    await register();
    await registry.promote("pokemon", 1, "champion");
    expect((await registry.resolve("pokemon")).version).toBe(2);
    expect((await registry.resolve("pokemon:1")).version).toBe(1);
    const champion = await registry.resolve("pokemon@champion");
    expect(champion).toMatchObject({ version: 1, aliases: ["champion"] });
    const artifacts = await registry.loadArtifacts(champion);
    expect(artifacts).toEqual({ weights: [1, 0.5], labels: ["normal", "dragon"] });
    const predict = pokemonPipeline().predict!.create(artifacts, {});
    expect(
      predict([
        { hp: 120, speed: 10 },
        { hp: 20, speed: 10 },
      ]),
    ).toEqual([{ type: "dragon" }, { type: "normal" }]);
  });

  it("explains unknown models, versions and aliases", async () => {
    await expect(registry.resolve("pokemon")).rejects.toThrow(
      "No model `pokemon` is registered. Run a pipeline with a predict cell to register one (cellforge run).",
    );
    await register();
    await expect(registry.resolve("pokemn")).rejects.toThrow(
      "No model `pokemn` is registered (did you mean `pokemon`?). Registered models: pokemon.",
    );
    await expect(registry.resolve("pokemon:7")).rejects.toThrow("Model `pokemon` has no version 7; versions: 1.");
    await expect(registry.resolve("pokemon@prod")).rejects.toThrow(
      "Model `pokemon` has no alias @prod; it has none yet (cellforge models promote pokemon VERSION --alias prod).",
    );
    await expect(registry.resolve("pokemon@@x")).rejects.toThrow(/is not a model reference/);
  });

  it("refuses a promotion whose request schema breaks the alias's clients, unless forced", async () => {
    await register();
    await registry.promote("pokemon", 1, "champion");
    await catalog.save("weights", [3, 3]);
    const { nickname: _, ...withoutNickname } = inputSchema.properties;
    await register(pokemonPipeline({ ...inputSchema, properties: { ...withoutNickname, hp: { type: "string" } } }));
    const refused = await registry.promote("pokemon", 2, "champion").catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BreakingSchemaError);
    expect((refused as Error).message).toBe(
      "Promoting pokemon version 2 to @champion would break clients of version 1: its input schema\n" +
        "  - field `hp` changed type from integer to string\n" +
        "  - field `nickname` was removed\n" +
        "Update the clients first, or promote anyway with --force.",
    );
    expect((await registry.resolve("pokemon@champion")).version).toBe(1);
    const forced = await registry.promote("pokemon", 2, "champion", { force: true });
    expect(forced).toMatchObject({
      previous: 1,
      changes: ["field `hp` changed type from integer to string", "field `nickname` was removed"],
    });
    expect((await registry.resolve("pokemon@champion")).version).toBe(2);
    expect((await registry.listModels())[0]).toMatchObject({
      name: "pokemon",
      latestVersion: 2,
      versions: 2,
      aliases: { champion: 2 },
    });
  });

  it("a compatible promotion goes through", async () => {
    await register();
    await registry.promote("pokemon", 1, "champion");
    await catalog.save("weights", [3, 3]);
    await register(
      pokemonPipeline({ ...inputSchema, properties: { ...inputSchema.properties, color: { type: "string" } } }),
    );
    expect(await registry.promote("pokemon", 2, "champion")).toMatchObject({ previous: 1, changes: [] });
  });

  it("says how to fix a predict artifact that only lives in memory", async () => {
    const memoryOnly = new Catalog({ weights: { type: "json", path: "data/06_models/weights.json" } }, { root });
    await expect(
      registry.register({
        pipeline: pokemonPipeline(),
        catalog: memoryOnly,
        runId: "0".repeat(32),
        artifacts: [],
        metrics: {},
        inputs: [],
      }),
    ).rejects.toThrow(
      "The predict cell needs `labels`, which is only in memory: give it a file dataset in conf/base/catalog.yml (e.g. type: json or tfjs-model) so the model can be registered.",
    );
  });
});
