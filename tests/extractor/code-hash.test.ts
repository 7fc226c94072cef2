// Node code hashes decide which nodes the runner may skip: they change with the node's code and with the shared code it calls.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { fixture, GOLDEN_VERSION, scratchDir } from "./fixtures.ts";

async function codeHashes(notebook: string): Promise<Record<string, string>> {
  const plan = await planExtraction(notebook, { outDir: join(notebook, "..", "out"), extractorVersion: GOLDEN_VERSION, verify: false });
  const pipeline = plan.files.find((f) => f.name === "pipeline.ts")?.text ?? "";
  const pairs = [...pipeline.matchAll(/name: "([^"]+)",\s*func:[\s\S]*?codeHash: "([0-9a-f]{64})"/g)].map((m): [string, string] => [m[1] ?? "", m[2] ?? ""]);
  return Object.fromEntries(pairs);
}

it("changes the hash of the nodes that use an edited export cell, and only theirs", async () => {
  const notebook = join(scratchDir(), "pokemon.ipynb");
  copyFileSync(fixture("pokemon"), notebook);
  const before = await codeHashes(notebook);
  writeFileSync(notebook, readFileSync(notebook, "utf8").replace("return STAT_COLUMNS.map((column) => stats[column]);", "return STAT_COLUMNS.map((column) => stats[column] * 2);"));
  const after = await codeHashes(notebook);
  expect(Object.keys(before)).toEqual(["clean-the-data", "features", "train", "evaluate"]);
  const changed = Object.keys(before).filter((name) => before[name] !== after[name]);
  expect(changed).toEqual(["features", "train"]);
});
