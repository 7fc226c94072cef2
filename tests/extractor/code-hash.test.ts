// Node code hashes decide which nodes the runner may skip: they change with the node's code and with the shared code it calls.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, GOLDEN_VERSION, scratchDir } from "./fixtures.ts";

async function codeHashes(notebook: string): Promise<Record<string, string>> {
  const plan = await planExtraction(notebook, {
    outDir: join(notebook, "..", "out"),
    extractorVersion: GOLDEN_VERSION,
    verify: false,
  });
  const pipeline = plan.files.find((f) => f.name === "pipeline.ts")?.text ?? "";
  const pairs = [...pipeline.matchAll(/name: "([^"]+)",\s*func:[\s\S]*?codeHash: "([0-9a-f]{64})"/g)].map(
    (m): [string, string] => [m[1] ?? "", m[2] ?? ""],
  );
  return Object.fromEntries(pairs);
}

it("changes the hash of the nodes that use an edited export cell, and only theirs", async () => {
  const notebook = join(scratchDir(), "pokemon.ipynb");
  copyFileSync(fixture("pokemon"), notebook);
  const before = await codeHashes(notebook);
  writeFileSync(
    notebook,
    readFileSync(notebook, "utf8").replace(
      "return STAT_COLUMNS.map((column) => stats[column]);",
      "return STAT_COLUMNS.map((column) => stats[column] * 2);",
    ),
  );
  const after = await codeHashes(notebook);
  expect(Object.keys(before)).toEqual(["clean-the-data", "features", "train", "evaluate"]);
  const changed = Object.keys(before).filter((name) => before[name] !== after[name]);
  expect(changed).toEqual(["features", "train"]);
});

/** The predict code hash that pipeline.ts records for `notebook`. */
async function predictCodeHash(notebook: string): Promise<string | undefined> {
  const plan = await planExtraction(notebook, {
    outDir: join(notebook, "..", "out"),
    extractorVersion: GOLDEN_VERSION,
    verify: false,
  });
  const pipeline = plan.files.find((f) => f.name === "pipeline.ts")?.text ?? "";
  return /predict: \{[\s\S]*?codeHash: "([0-9a-f]{64})"/.exec(pipeline)?.[1];
}

it("changes the predict code hash when the predict cell or the shared code it calls changes, and not for a node's edit", async () => {
  const notebook = join(scratchDir(), "pokemon.ipynb");
  copyFileSync(fixture("pokemon"), notebook);
  const edit = (from: string, to: string): void =>
    writeFileSync(notebook, readFileSync(notebook, "utf8").replace(from, to));
  const original = await predictCodeHash(notebook);
  expect(original).toBeDefined();
  edit("units: hiddenUnits[0] ?? 16", "units: hiddenUnits[0] ?? 32");
  expect(await predictCodeHash(notebook)).toBe(original);
  edit('typeNames[best] ?? \\"unknown\\"', 'typeNames[best] ?? \\"none\\"');
  const predictEdited = await predictCodeHash(notebook);
  expect(predictEdited).not.toBe(original);
  edit(
    "return STAT_COLUMNS.map((column) => stats[column]);",
    "return STAT_COLUMNS.map((column) => stats[column] * 2);",
  );
  expect(await predictCodeHash(notebook)).not.toBe(predictEdited);
});
