// A load cell reading its files in parallel, `const [a, b] = await Promise.all([readerA, readerB])`: each name is a
// dataset of its own, with the path of the reader at its place.
import { join } from "node:path";
import { expect, it } from "vitest";
import { ExtractionFailed } from "../../extractor/analysis/problems.ts";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { notebookFile, scratchDir } from "./fixtures.ts";

function notebookWith(loadCell: string): string {
  return notebookFile("parallel", [
    {
      cell_type: "code",
      metadata: {},
      source: 'import * as dfd from "danfojs-node";\nimport { readFile } from "node:fs/promises";',
    },
    { cell_type: "code", metadata: { tags: ["load"] }, source: loadCell },
    { cell_type: "markdown", metadata: {}, source: "## Sizes" },
    {
      cell_type: "code",
      metadata: { tags: ["node", "metrics"] },
      source: "const sizes = pokemon.shape[0]! + notes.length;",
    },
  ]);
}

it("makes each name of `await Promise.all([readers…])` a dataset with its reader's path", async () => {
  const plan = await planExtraction(
    notebookWith(
      'const [pokemon, notes] = await Promise.all([\n  dfd.readCSV("data/01_raw/pokemon.csv"),\n  readFile("tests/fixtures/data/notes.txt", "utf8"),\n]);',
    ),
    { outDir: join(scratchDir(), "out") },
  );
  expect(plan.catalog.map((e) => [e.name, e.type, e.path])).toEqual([
    ["parallel.pokemon", "csv", "data/01_raw/pokemon.csv"],
    ["parallel.notes", "text", "tests/fixtures/data/notes.txt"],
  ]);
  expect(plan.files.find((f) => f.name === "pipeline.ts")?.text).toMatch(/inputs: \["pokemon", "notes"\]/);
});

it("refuses a rest element or a destructured value, saying what a load cell declares", async () => {
  for (const [cell, reason] of [
    [
      'const [pokemon, ...notes] = await Promise.all([dfd.readCSV("data/01_raw/pokemon.csv"), readFile("tests/fixtures/data/notes.txt", "utf8")]);',
      "is destructured from something other than `await Promise.all([reader, …])`",
    ],
    [
      'const both = await Promise.all([dfd.readCSV("data/01_raw/pokemon.csv")]);\nconst [pokemon, notes] = [both[0]!, "x"];',
      "is destructured from something other than `await Promise.all([reader, …])`",
    ],
  ] as const) {
    const failure = await planExtraction(notebookWith(cell), { outDir: join(scratchDir(), "out") }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ExtractionFailed);
    const details = (failure as ExtractionFailed).problems.map((p) => p.detail);
    expect(details).toContainEqual(expect.stringContaining(`declares \`notes\`, which ${reason}`));
  }
});
