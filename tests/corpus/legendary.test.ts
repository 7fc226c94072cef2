// corpus/legendary.ipynb: a logistic regression whose predict cell reads two parameters (the feature list and the
// threshold); the served model answers with the values of its training run, and another value is another version.
import { join } from "node:path";
import Libsql from "libsql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorpusProject, lintNotebook, predictOne, skipCorpus, type Outcome } from "./corpus-notebook.ts";

const MEWTWO = { hp: 106, attack: 110, defense: 90, sp_attack: 154, sp_defense: 90, speed: 130 };

describe.skipIf(skipCorpus)("corpus: legendary.ipynb (predict reads parameters)", () => {
  // Made in beforeAll, so that a skipped run leaves no folder behind.
  let project: CorpusProject;
  let kernelOutput = "";
  let extracted: Outcome;
  let firstRun: Outcome;

  beforeAll(async () => {
    project = new CorpusProject("legendary");
    const executed = await project.runInKernel();
    kernelOutput = JSON.stringify(executed.cells.flatMap((cell) => (cell.cell_type === "code" ? cell.outputs : [])));
    extracted = await project.extract();
    firstRun = await project.cellforge(["run", "legendary"]);
  }, 600_000);
  afterAll(() => project?.remove());

  it("runs on the real kernel, extracts, type-checks and lints clean", { timeout: 180_000 }, async () => {
    expect(kernelOutput).toMatch(/accuracy 0\.\d+, recall/);
    expect(extracted.code, extracted.stderr).toBe(0);
    const files = project.generated();
    expect(files["predict.ts"]).toContain(
      'export type PredictParameters = Pick<Parameters, "features" | "threshold">;',
    );
    expect(files["pipeline.ts"]).toContain('parameters: ["features", "threshold"],');
    expect(project.typeCheck()).toBe("");
    expect(await lintNotebook("legendary")).toEqual([]);
  });

  it(
    "serves the threshold and features of the training run; another threshold is another version",
    { timeout: 240_000 },
    async () => {
      expect(firstRun.code, firstRun.stderr).toBe(0);
      expect(firstRun.stdout).toContain("Model legendary version 1 registered");
      const shown = await project.cellforge(["models", "show", "legendary:1"]);
      expect(shown.stdout).toMatch(
        /Parameters predict reads[^\n]*\n\s+features\s+\["hp","attack","defense","sp_attack","sp_defense","speed"\]\n\s+threshold\s+0\.5\n/,
      );

      const first = (await predictOne(await project.serve("legendary:1"), MEWTWO)) as {
        probability: number;
        legendary: boolean;
      };
      expect(first.legendary).toBe(true);
      expect(first.probability).toBeGreaterThan(0.5);

      // Only the threshold changes: the fit is the same, the model is not.
      const stricter = await project.cellforge(["run", "legendary", "--params", "threshold=0.999"]);
      expect(stricter.code, stricter.stderr).toBe(0);
      expect(stricter.stdout).toContain("Model legendary version 2 registered");
      const second = (await predictOne(await project.serve("legendary:2"), MEWTWO)) as typeof first;
      expect(second).toEqual({ probability: first.probability, legendary: false });
    },
  );

  it(
    "refuses a version that did not record a parameter its predict code reads, saying to retrain",
    { timeout: 120_000 },
    async () => {
      // As a version registered before cellforge kept the values would be.
      const db = new Libsql(join(project.root, ".cellforge/tracking.db"));
      db.prepare("UPDATE model_versions SET predict_parameters = NULL WHERE version = 1").run();
      db.close();
      const refused = await project.serve("legendary:1").catch((error: unknown) => String(error));
      expect(refused).toContain("reads parameters `features`, `threshold`, whose value legendary:1 did not record");
      expect(refused).toContain("npx cellforge run legendary");
    },
  );
});
