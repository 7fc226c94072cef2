// Extracting again in the same process, as `extract --all` and the pre-commit hook do, reuses the last program: a
// notebook importing @tensorflow/tfjs-node and danfojs-node (second copies of TensorFlow.js packages in the program)
// must extract again too.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planExtraction, writeExtraction } from "../../extractor/cli/extract.ts";
import { fixture, scratchDir } from "./fixtures.ts";

describe("extracting notebooks one after another in one process", () => {
  it("extracts a notebook importing @tensorflow/tfjs-node again once its modules exist", async () => {
    const dir = scratchDir();
    const options = (name: string) => ({ outDir: join(dir, name), catalogPath: join(dir, "catalog.yml") });
    for (let round = 0; round < 2; round++) {
      for (const name of ["pokemon", "tfjs-node"]) {
        const plan = await planExtraction(fixture(name), options(name));
        expect(plan.files.map((f) => f.name)).toContain("pipeline.ts");
        await writeExtraction(plan);
      }
    }
  });
});
