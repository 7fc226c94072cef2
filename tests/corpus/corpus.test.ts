// The corpus: notebooks unlike train.ipynb, each run on the real kernel, extracted, type-checked, linted, run as a
// pipeline, served, and asked one question. The heavy steps run once per notebook, in its beforeAll.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDuckDB } from "../../runtime/catalog/duckdb.ts";
import { CorpusProject, lintNotebook, predictOne, skipCorpus, type Outcome } from "./corpus-notebook.ts";

interface Case {
  name: string;
  /** What the notebook's own last cell prints (it calls predict), as the kernel ran it. */
  kernelSays: RegExp;
  request: unknown;
  expectAnswer(answer: unknown): void;
  expectModules?(files: Record<string, string>, catalog: string): void;
  /** Checks what `cellforge run` printed against what the kernel printed. */
  expectRun?(stdout: string, kernelOutput: string): void;
  /** Makes data the notebook reads besides data/01_raw's files, in the project at `root`. */
  prepare?(root: string): Promise<void>;
}

const cases: Case[] = [
  {
    name: "regression",
    kernelSays: /weight_kg/,
    request: { height_m: 1.7, hp: 78, attack: 84, defense: 78, speed: 100 },
    expectAnswer(answer) {
      expect((answer as { weight_kg: number }).weight_kg).toBeGreaterThan(0.1);
    },
    expectModules(files) {
      // A closed-form fit: no TF.js, no data frame, anywhere in the pipeline.
      expect(Object.values(files).join("\n")).not.toMatch(/@tensorflow|danfojs/);
      expect(files["parameters.ts"]).toContain("ridge: 0.1");
    },
  },
  {
    name: "clusters",
    kernelSays: /cluster/,
    request: { hp: 255, attack: 10, defense: 10, sp_attack: 75, sp_defense: 135, speed: 55 },
    expectAnswer(answer) {
      const { cluster, distance } = answer as { cluster: number; distance: number };
      expect([0, 1, 2, 3]).toContain(cluster);
      expect(distance).toBeGreaterThanOrEqual(0);
    },
    expectModules(files) {
      expect(files["pipeline.ts"]).toContain('artifacts: ["scaling", "centroids"]');
      // `scaling` is an instance of the notebook's class Scaling, saved as JSON: the served model revives it.
      expect(files["predict.ts"]).toContain("scaling = reviveInstance(Scaling, scaling);");
    },
  },
  {
    name: "arrays",
    kernelSays: /strong/,
    request: { speed: 130, total: 680 },
    expectAnswer(answer) {
      expect(answer).toEqual({ fast: true, strong: true });
    },
    expectModules(files) {
      // The untagged helper cell is shared code, used by two nodes; one node has several outputs; one is async.
      expect(files["shared.ts"]).toContain("export function median(values: number[]): number");
      expect(files["nodes.ts"]).toMatch(/import \{[^}]*median[^}]*\} from "\.\/shared\.ts"/);
      expect(files["pipeline.ts"]).toContain('outputs: ["speedMedian", "fast", "slow"]');
      expect(files["nodes.ts"]).toContain("export async function summary(");
      expect(Object.values(files).join("\n")).not.toContain("danfojs");
    },
  },
  {
    name: "kanto",
    kernelSays: /knownType/,
    request: { height_m: 1.7, type: "fire" },
    expectAnswer(answer) {
      const { weight_kg, knownType } = answer as { weight_kg: number; knownType: boolean };
      expect(weight_kg).toBeGreaterThan(0);
      expect(knownType).toBe(true);
    },
    expectModules(_files, catalog) {
      expect(catalog).toMatch(/kanto\.kanto:\n\s+type: json\n\s+path: data\/01_raw\/kanto\.json/);
    },
  },
  {
    name: "story",
    kernelSays: /nearest-profile accuracy/,
    request: { hp: 100, attack: 130, defense: 130, speed: 40 },
    expectAnswer(answer) {
      expect(typeof (answer as { type: unknown }).type).toBe("string");
    },
    expectModules(files) {
      // The charts, tables and prints between the nodes stay in the notebook.
      const code = Object.values(files).join("\n");
      expect(code).not.toMatch(/tslab|display\.|console\.|<svg|\.print\(\)/);
      expect(files["pipeline.ts"]).toMatch(/name: "averages-per-type"[\s\S]*name: "separability"/);
      // `pokemon = pokemon.query(…)` in a node: its new value travels as a dataset of its own to the nodes after it.
      expect(files["pipeline.ts"]).toMatch(
        /name: "leave-legendaries-out",[\s\S]*?inputs: \["pokemon"\],\s*outputs: \["pokemon@leave-legendaries-out"\]/,
      );
      expect(files["pipeline.ts"]).toMatch(
        /name: "averages-per-type",[\s\S]*?inputs: \["pokemon@leave-legendaries-out", "params:minimumCount"\]/,
      );
    },
    expectRun(stdout, kernelOutput) {
      // The notebook and the pipeline score the same Pokémon, legendaries left out in both.
      const notebook = /<b>([\d.]+)%<\/b> nearest-profile accuracy/.exec(kernelOutput)?.[1];
      const pipeline = /nearestAccuracy (0\.\d+)/.exec(stdout)?.[1];
      expect(notebook, kernelOutput).toBeDefined();
      expect(pipeline, stdout).toBeDefined();
      // The kernel prints a percentage with one decimal, the run four significant digits.
      expect(Math.abs(Number(pipeline) * 100 - Number(notebook))).toBeLessThanOrEqual(0.06);
    },
  },
  {
    name: "keras",
    kernelSays: /legendaryProbability/,
    request: { hp: 106, attack: 110, defense: 90, sp_attack: 154, sp_defense: 90, speed: 130 },
    expectAnswer(answer) {
      // Mewtwo's stats: the trained network is sure (an untrained one answers about 0.5).
      expect((answer as { legendaryProbability: number }).legendaryProbability).toBeGreaterThan(0.9);
    },
    expectModules(files, catalog) {
      // Built, compiled and trained in three cells: each node passes the changed model on, the trained one is saved.
      expect(files["pipeline.ts"]).toMatch(/name: "model",[\s\S]*?outputs: \["model@model"\]/);
      expect(files["pipeline.ts"]).toMatch(
        /name: "compile",[\s\S]*?inputs: \["model@model", "params:learningRate"\],\s*outputs: \["model@compile"\]/,
      );
      expect(files["pipeline.ts"]).toMatch(
        /name: "train",[\s\S]*?inputs: \["model@compile", [^\]]*\],\s*outputs: \["model"\]/,
      );
      expect(files["pipeline.ts"]).toMatch(/name: "evaluate",[\s\S]*?inputs: \["model", /);
      expect(catalog).toMatch(/keras\.model:\n\s+type: tfjs-model/);
    },
    expectRun(stdout, kernelOutput) {
      // The pipeline trains the same network as the notebook, seeded alike, on the same backend.
      const notebook = /training accuracy ([\d.]+)/.exec(kernelOutput)?.[1];
      const pipeline = /accuracy (0\.\d+)/.exec(stdout)?.[1];
      expect(notebook, kernelOutput).toBeDefined();
      expect(pipeline, stdout).toBeDefined();
      expect(Math.abs(Number(pipeline) - Number(notebook))).toBeLessThanOrEqual(0.0015);
    },
  },
  {
    name: "parquet",
    kernelSays: /typicalSpeed/,
    request: { type: "electric", speed: 90 },
    expectAnswer(answer) {
      const { typicalSpeed, faster } = answer as { typicalSpeed: number; faster: boolean };
      expect(typicalSpeed).toBeGreaterThan(50);
      expect(faster).toBe(typicalSpeed < 90);
    },
    expectModules(files, catalog) {
      // The load cell's Arrow table and the saved one: parquet entries that hand the nodes Arrow tables.
      expect(catalog).toMatch(
        /parquet\.pokemon:\n\s+type: parquet\n\s+path: data\/01_raw\/pokemon\.parquet\n\s+as: arrow/,
      );
      expect(catalog).toMatch(/parquet\.fastest:\n\s+type: parquet\n\s+path: \S+fastest\.parquet\n\s+as: arrow/);
      expect(files["nodes.ts"]).toMatch(
        /export function theFastestOfEachType\(pokemon: Table<any>\): \{ fastest: Table \}/,
      );
      expect(Object.values(files).join("\n")).not.toMatch(/@cellforge\/runtime\/sql|sql`/);
    },
    async prepare(root) {
      // A real Parquet file, with the column types a data engineer's export would have.
      const raw = join(root, "data/01_raw");
      await withDuckDB(root, (c) =>
        c.run(
          `COPY (SELECT name, type1, hp::INTEGER AS hp, speed::INTEGER AS speed FROM read_csv('${raw}/pokemon.csv')) TO '${raw}/pokemon.parquet' (FORMAT parquet)`,
        ),
      );
    },
  },
];

for (const notebook of cases) {
  describe.skipIf(skipCorpus)(`corpus: ${notebook.name}.ipynb`, () => {
    // Made in beforeAll, so that a skipped or filtered-out notebook leaves no folder behind.
    let project: CorpusProject;
    let kernelOutput = "";
    let extracted: Outcome;
    let ran: Outcome;

    beforeAll(async () => {
      project = new CorpusProject(notebook.name);
      await notebook.prepare?.(project.root);
      const executed = await project.runInKernel();
      kernelOutput = JSON.stringify(executed.cells.flatMap((cell) => (cell.cell_type === "code" ? cell.outputs : [])));
      extracted = await project.extract();
      ran = await project.cellforge(["run", notebook.name]);
    }, 600_000);
    afterAll(() => project?.remove());

    it("runs on the real kernel, extracts, type-checks and lints clean", { timeout: 180_000 }, async () => {
      expect(kernelOutput).toMatch(notebook.kernelSays);
      expect(extracted.code, extracted.stderr).toBe(0);
      notebook.expectModules?.(project.generated(), readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8"));
      expect(project.typeCheck()).toBe("");
      expect(await lintNotebook(notebook.name)).toEqual([]);
    });

    it("runs the pipeline, registers the model and serves an answer", { timeout: 180_000 }, async () => {
      expect(ran.code, ran.stderr).toBe(0);
      expect(ran.stdout).toContain(`Model ${notebook.name} version 1 registered`);
      notebook.expectRun?.(ran.stdout, kernelOutput);
      notebook.expectAnswer(await predictOne(await project.serve(notebook.name), notebook.request));
    });
  });
}
