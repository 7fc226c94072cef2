// A fitted object saved as it is (the scikit-learn habit of pickling a transformer): its fields go to a JSON dataset
// (danfojs's own scalers and encoders to a danfojs-transformer one),
// and where it is read again (a later node, the served model) the generated code gives it its class's methods back.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Catalog } from "../../runtime/catalog/catalog.ts";
import { PipelineScheduler } from "../../runtime/pipeline/scheduler.ts";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, importGenerated, repoRoot, scratchDir } from "./fixtures.ts";

describe("a saved class instance", () => {
  it("is saved as JSON and read back as an instance of its class, by a node and by the served model", async () => {
    const out = join(scratchDir(), "saved-instance");
    const plan = await planExtraction(fixture("saved-instance"), { outDir: out });
    expect(plan.warnings).toEqual([]);
    expect(plan.catalog.map((entry) => [entry.name, entry.type])).toContainEqual(["saved-instance.scaler", "json"]);
    const files = new Map(plan.files.map((f) => [f.name, f.text]));
    expect(files.get("nodes.ts")).toContain("scaler = reviveInstance(Scaler, scaler);");
    expect(files.get("predict.ts")).toContain("scaler = reviveInstance(Scaler, scaler);");

    const pipeline = await importGenerated(plan.files, out);
    const catalog = new Catalog(
      {
        values: { type: "json", path: "tests/fixtures/data/numbers.json" },
        scaler: { type: "json", path: join(out, "scaler.json") },
      },
      { root: repoRoot },
    );
    // [3, 1, 2]: mean 2, deviation √(2/3); the largest, 3, is 1.2247 deviations above the mean.
    const result = await new PipelineScheduler({ catalog, params: {}, root: repoRoot }).run(pipeline);
    expect(result.freeOutputs["largest"]).toBeCloseTo(1.2247, 4);

    // What `cellforge serve` does: the artifact loaded from its JSON file is plain data, and the predictor answers.
    const saved = await catalog.get("scaler").load();
    expect(Object.getPrototypeOf(saved)).toBe(Object.prototype);
    const predict = pipeline.predict!.create({ scaler: saved }, {}) as (rows: { x: number }[]) => { z: number }[];
    expect(predict([{ x: 3 }])[0]!.z).toBeCloseTo(1.2247, 4);
    // And a node that reads it from the file (a replay): the generated function revives it too.
    const { score } = (await import(join(out, "nodes.ts"))) as {
      score: (values: number[], scaler: unknown) => { largest: number };
    };
    expect(score([3, 1, 2], await catalog.get("scaler").load()).largest).toBeCloseTo(1.2247, 4);
  });

  it("is refused when its class cannot come back: declared in a node cell, or holding a function in a field", async () => {
    const failure = await planExtraction(fixture("unsaveable-instances"), { outDir: scratchDir() }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExtractionFailed);
    const details = (failure as ExtractionFailed).problems.map((p) => p.detail);
    expect(details).toEqual([
      expect.stringContaining(
        "cannot persist `counter`: it is an instance of class `Counter`, declared in node `fit` in code cell 4: move the class into an `export` cell",
      ),
      expect.stringContaining(
        "cannot persist `shifter`: it is an instance of class `Shifter`, whose field `shift` holds a function, which JSON does not keep: make it a method",
      ),
    ]);
  });

  it("of danfojs's scalers and encoders is saved as a danfojs-transformer and served as its class", async () => {
    const plan = await planExtraction(fixture("danfojs-transformers"), { outDir: scratchDir() });
    expect(plan.warnings).toEqual([]);
    expect(plan.catalog.map((entry) => [entry.name, entry.type])).toEqual(
      expect.arrayContaining([
        ["danfojs-transformers.scaler", "danfojs-transformer"],
        ["danfojs-transformers.encoder", "danfojs-transformer"],
      ]),
    );
    const predict = plan.files.find((f) => f.name === "predict.ts")?.text ?? "";
    expect(predict).toMatch(/scaler: dfd\.MinMaxScaler;\s*encoder: dfd\.LabelEncoder;/);
    expect(predict).not.toContain("reviveInstance");
  });
});
