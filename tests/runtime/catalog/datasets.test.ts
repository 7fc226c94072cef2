import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeAtomically, writeFileAtomic } from "../../../runtime/catalog/atomic-write.ts";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { sha256 } from "../../../runtime/catalog/digest.ts";
import { tf, useFastestBackend } from "../../../runtime/tfjs/backend.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-catalog-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const entries = {
  table: { type: "csv", path: "data/table.csv" },
  record: { type: "json", path: "data/record.json" },
  note: { type: "text", path: "data/note.txt" },
  model: { type: "tfjs-model", path: "data/model" },
  scaler: { type: "danfojs-transformer", path: "data/scaler.json" },
  moments: { type: "tfjs-tensor", path: "data/moments.json" },
  encoder: { type: "danfojs-transformer", path: "data/encoder.json" },
  scratch: { type: "memory" },
};

describe("every dataset type round-trips", () => {
  it("csv: a DataFrame with quoted commas, quotes, empty cells and numbers comes back equal", async () => {
    const { DataFrame } = await import("danfojs-node");
    const catalog = new Catalog(entries, { root });
    const frame = new DataFrame({
      name: ["Bulbasaur", 'Mr. "Mime"', "Porygon"],
      abilities: ["['Overgrow', 'Chlorophyll']", "['Filter']", "['Trace']"],
      weight_kg: [6.9, 54.5, 36.5],
      type2: ["poison", null, null],
    });
    await catalog.save("table", frame);
    const loaded = (await catalog.load("table")) as InstanceType<typeof DataFrame>;
    expect(loaded.columns).toEqual(frame.columns);
    expect(loaded.values).toEqual(frame.values);
    const dataset = catalog.get("table");
    expect(dataset.rows(loaded)).toBe(3);
    expect(await dataset.digest()).toBe(sha256(readFileSync(join(root, "data/table.csv"))));
  });

  it("csv: an array of records saves too, and the embedded Pokédex reads back byte for byte", async () => {
    const catalog = new Catalog({ ...entries, pokemon: { type: "csv", path: "data/pokemon.csv" } }, { root });
    await catalog.save("table", [
      { a: 1, b: "x" },
      { a: 2, c: true },
    ]);
    expect(readFileSync(join(root, "data/table.csv"), "utf8")).toBe("a,b,c\n1,x,\n2,,true\n");
    mkdirSync(join(root, "data"), { recursive: true });
    const original = readFileSync(join(import.meta.dirname, "../../../data/01_raw/pokemon.csv"));
    writeFileSync(join(root, "data/pokemon.csv"), original);
    const pokedex = await catalog.load("pokemon");
    await catalog.save("table", pokedex);
    expect(readFileSync(join(root, "data/table.csv")).equals(original)).toBe(true);
  });

  it("json and text", async () => {
    const catalog = new Catalog(entries, { root });
    const value = { epochs: [1, 2, 3], nested: { ok: true, none: null }, name: "pikachu" };
    await catalog.save("record", value);
    expect(await catalog.load("record")).toEqual(value);
    expect(catalog.get("record").rows([1, 2])).toBe(2);
    await catalog.save("note", "héllo\nworld\n");
    expect(await catalog.load("note")).toBe("héllo\nworld\n");
  });

  it("tfjs-model: a trained layers model saves as model.json + weights.bin and predicts the same after loading (WASM)", async () => {
    await useFastestBackend();
    expect(tf.getBackend()).toBe("wasm");
    const catalog = new Catalog(entries, { root });
    const model = tf.sequential();
    model.add(
      tf.layers.dense({
        units: 3,
        inputShape: [4],
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
    );
    model.add(tf.layers.dense({ units: 2, activation: "softmax" }));
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    await catalog.save("model", model);
    const files = await catalog.get("model").files();
    expect(files.map((f) => f.path.slice(root.length + 1))).toEqual([
      "data/model/model.json",
      "data/model/weights.bin",
    ]);
    expect(files[1]!.size).toBe((4 * 3 + 3 + 3 * 2 + 2) * 4);
    const loaded = (await catalog.load("model")) as tf.LayersModel;
    const x = tf.tensor2d([[0.1, -0.2, 0.3, 0.4]]);
    expect(await (loaded.predict(x) as tf.Tensor).array()).toEqual(await (model.predict(x) as tf.Tensor).array());
    tf.dispose(x);
  });

  it("tfjs-tensor: a tensor's shape, dtype and values come back; anything else is refused with the type to use", async () => {
    const catalog = new Catalog(entries, { root });
    for (const tensor of [
      tf.tensor2d([
        [1.5, -2],
        [3, 4.25],
      ]),
      tf.tensor1d([7, 8, 9], "int32"),
      tf.scalar(0.1),
    ]) {
      await catalog.save("moments", tensor);
      const loaded = (await catalog.load("moments")) as tf.Tensor;
      expect(loaded).toBeInstanceOf(tf.Tensor);
      expect([loaded.shape, loaded.dtype]).toEqual([tensor.shape, tensor.dtype]);
      expect(loaded.arraySync()).toEqual(tensor.arraySync());
      tf.dispose([tensor, loaded]);
    }
    await expect(catalog.save("moments", [1, 2])).rejects.toThrow(/saves a tf\.Tensor, not Array; use type json/);
  });

  it("danfojs-transformer: fitted scalers and encoders transform the same after loading, as scikit-learn's pickled ones", async () => {
    const dfd = await import("danfojs-node");
    const catalog = new Catalog(entries, { root });
    const rows = [
      [45, 49],
      [60, 62],
      [80, 100],
    ];
    const check = [[50, 70]];
    for (const Scaler of [dfd.StandardScaler, dfd.MinMaxScaler]) {
      const scaler = new Scaler();
      scaler.fit(rows);
      await catalog.save("scaler", scaler);
      const loaded = (await catalog.load("scaler")) as InstanceType<typeof Scaler>;
      expect(loaded).toBeInstanceOf(Scaler);
      expect(loaded.transform(check)).toEqual(scaler.transform(check));
      expect(loaded.inverseTransform([[0.5, -1]])).toEqual(scaler.inverseTransform([[0.5, -1]]));
    }
    const types = ["grass", "fire", "water", "fire"];
    const labels = new dfd.LabelEncoder();
    labels.fit(types);
    await catalog.save("encoder", labels);
    const encoder = (await catalog.load("encoder")) as InstanceType<typeof dfd.LabelEncoder>;
    expect(encoder.transform(["water", "grass"])).toEqual([2, 0]);
    expect(encoder.inverseTransform([1, 2])).toEqual(["fire", "water"]);
    const oneHot = new dfd.OneHotEncoder();
    oneHot.fit(types);
    await catalog.save("encoder", oneHot);
    expect(((await catalog.load("encoder")) as typeof oneHot).transform(["fire"])).toEqual(oneHot.transform(["fire"]));

    // Anything else is refused with the type to use, and the file it would replace is left as it was.
    await expect(catalog.save("encoder", { mean: [1, 2] })).rejects.toThrow(
      /saves a fitted StandardScaler, MinMaxScaler, LabelEncoder, OneHotEncoder of danfojs-node, not Object; use type json/,
    );
    expect(JSON.parse(readFileSync(join(root, "data/encoder.json"), "utf8"))).toMatchObject({ class: "OneHotEncoder" });
  });

  it("memory: names the catalog lacks are in-memory datasets, empty until saved", async () => {
    const catalog = new Catalog(entries, { root });
    const unlisted = catalog.get("somethingElse");
    expect(unlisted.type).toBe("memory");
    expect(unlisted.persisted).toBe(false);
    await expect(unlisted.load()).rejects.toThrow(/`somethingElse` has no value in memory yet/);
    const model = { not: "serialisable", f: () => 1 };
    await catalog.save("scratch", model);
    expect(await catalog.load("scratch")).toBe(model);
    expect(await catalog.get("scratch").digest()).toBeUndefined();
  });
});

describe("a run's catalog", () => {
  it("gives the digest of what it saved, which its loads read, after another run saved the same path", async () => {
    const own = new Catalog(entries, { root, readOwnSaves: true });
    const shared = new Catalog(entries, { root });
    await own.save("record", { accuracy: 0.5 });
    const ours = await shared.get("record").digest();
    await writeFileAtomic(join(root, "data/record.json"), root, JSON.stringify({ accuracy: 0.9 }));
    expect(await shared.get("record").digest()).not.toBe(ours);
    expect(await own.get("record").digest()).toBe(ours);
    expect(await own.load("record")).toEqual({ accuracy: 0.5 });

    // A folder too: the digest of its files, under the same relative names.
    await useFastestBackend();
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
    await own.save("model", model);
    const ourModel = await shared.get("model").digest();
    await writeAtomically(join(root, "data/model"), root, async (folder) => {
      mkdirSync(folder);
      writeFileSync(join(folder, "model.json"), "{}");
    });
    expect(await shared.get("model").digest()).not.toBe(ourModel);
    expect(await own.get("model").digest()).toBe(ourModel);
    model.dispose();
    await own.release();
  });
});
