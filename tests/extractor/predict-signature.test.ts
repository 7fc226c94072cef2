// The serving function takes a batch (`predict(rows: Stats[])`) or one record (`predict(row: Stats)`, the habit of a
// function written for one Pokémon): the predictor maps a one-record function over the server's batches.
import { join } from "node:path";
import { expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { importGenerated, notebookFile, scratchDir } from "./fixtures.ts";

function notebookWith(predictSource: string): string {
  return notebookFile("single", [
    { cell_type: "code", metadata: { tags: ["parameters"] }, source: "const factor = 2;" },
    { cell_type: "code", metadata: { tags: ["predict"] }, source: predictSource },
  ]);
}

it("serves a one-record `predict(stats: Stats)` over a batch, each answer awaited, in order", async () => {
  const dir = scratchDir();
  const out = join(dir, "out");
  const notebook = notebookWith(
    "interface Stats { hp: number }\n/** Doubles, slowly for small ones. */\nasync function predict(stats: Stats): Promise<number[]> {\n  await new Promise((resolve) => setTimeout(resolve, 100 - stats.hp));\n  return [stats.hp * factor];\n}",
  );
  const plan = await planExtraction(notebook, { outDir: out });
  const files = new Map(plan.files.map((f) => [f.name, f.text]));
  const predictModule = files.get("predict.ts") ?? "";
  // The request schema is one Stats, the response one answer (here an array of numbers).
  expect(predictModule).toMatch(
    /inputSchema: JsonSchema = \{\s*type: "object",\s*properties: \{ hp: \{ type: "number" \} \}/,
  );
  expect(predictModule).toMatch(/outputSchema: JsonSchema = \{ type: "array", items: \{ type: "number" \} \}/);
  expect(predictModule).toContain("(rows: Stats[]) => Promise<number[][]>");

  const pipeline = await importGenerated(plan.files, out);
  const predict = pipeline.predict!.create({}, { factor: 2 }) as (rows: { hp: number }[]) => Promise<number[][]>;
  expect(await predict([{ hp: 3 }, { hp: 90 }, { hp: 5 }])).toEqual([[6], [180], [10]]);
}, 60_000);

it("refuses a serving function of two parameters, saying what it may take", async () => {
  const dir = scratchDir();
  const notebook = notebookWith("function predict(hp: number, attack: number): number {\n  return hp + attack;\n}");
  const failure = await planExtraction(notebook, { outDir: join(dir, "out") }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ExtractionFailed);
  const problem = (failure as ExtractionFailed).problems.find((p) => p.code === "predict-signature");
  expect(problem?.detail).toBe(
    "`predict` must take exactly one parameter: an array of request records (`rows: PokemonStats[]`), or one record (`row: PokemonStats`), which the server then calls for each record of a batch.",
  );
}, 60_000);
