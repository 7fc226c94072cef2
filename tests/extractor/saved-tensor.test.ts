// A tf.Tensor a node saves (the mean and deviation of tf.moments, used to standardise what the served model gets) is
// a tfjs-tensor dataset, and the predictor receives it as a tensor.
import { join } from "node:path";
import { expect, it } from "vitest";
import { planExtraction } from "../../extractor/cli/extract.ts";
import { notebookFile, scratchDir } from "./fixtures.ts";

it("saves a node's tf.Tensor as a tfjs-tensor dataset and hands it to the predictor typed as a tensor", async () => {
  const notebook = notebookFile("moments", [
    { cell_type: "code", metadata: {}, source: 'import * as tf from "@tensorflow/tfjs";' },
    { cell_type: "markdown", metadata: {}, source: "## Moments" },
    {
      cell_type: "code",
      metadata: { tags: ["node"] },
      source: "//| save: mean\nconst mean = tf.mean(tf.tensor2d([[1, 2], [3, 4]]), 0);",
    },
    {
      cell_type: "code",
      metadata: { tags: ["predict"] },
      source:
        "function predict(rows: { x: number[] }[]): { centred: number[] }[] {\n  return rows.map((r) => ({ centred: tf.tensor1d(r.x).sub(mean).arraySync() as number[] }));\n}",
    },
  ]);
  const plan = await planExtraction(notebook, { outDir: join(scratchDir(), "out") });
  expect(plan.catalog.map((e) => [e.name, e.type, e.path])).toEqual([
    ["moments.mean", "tfjs-tensor", "data/06_models/moments/mean.json"],
  ]);
  expect(plan.files.find((f) => f.name === "predict.ts")?.text).toContain("mean: tf.Tensor<tf.Rank>;");
}, 60_000);
