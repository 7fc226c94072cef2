// Chooses training settings without touching the test split (issue 20's rule): for each seed, the pipeline's own
// stratified 30% test split is set aside, a stratified quarter of the remaining training rows is held out as a
// validation set, and the train pipeline's nodes fit on the other three quarters with the given settings. Prints
// validation type accuracy, legendary ROC-AUC and legendary F1 at a grid of thresholds (mean over the seeds), for
// the embedded data set or any CSV in the Kaggle schema.
// Run: npx tsx bench/validation.ts [--seeds 0,1,…] [--set name=value …] [path/to/pokemon.csv]
import { parseArgs } from "node:util";
import * as dfd from "danfojs-node";
import { useFastestBackend } from "../runtime/tfjs/backend.ts";
import { clean, evaluate, features, split, train } from "../pipelines/train/nodes.ts";
import { defaults, type Parameters } from "../pipelines/train/parameters.ts";
import { accuracy, f1Score, rocAuc } from "../pipelines/train/shared.ts";

const { values, positionals } = parseArgs({
  options: {
    seeds: { type: "string", default: "0,1,2,3,4,5,6,7" },
    set: { type: "string", multiple: true, default: [] },
  },
  allowPositionals: true,
});
const seeds = values.seeds.split(",").map(Number);
const params: Parameters = { ...defaults };
for (const assignment of values.set) {
  const [name, value] = assignment.split("=");
  if (name === undefined || !(name in params) || value === undefined || !Number.isFinite(Number(value)))
    throw new Error(
      `--set takes name=number with a parameter name (${Object.keys(params).join(", ")}); got ${assignment}`,
    );
  (params as Record<string, number>)[name] = Number(value);
}
const file = positionals[0] ?? "data/01_raw/pokemon.csv";
const thresholds = [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6];

await useFastestBackend();
const { pokemonClean } = clean(await dfd.readCSV(file));
const rows: { typeAccuracy: number; auc: number; f1: number[]; seconds: number }[] = [];
for (const seed of seeds) {
  const { trainSet } = split(seed, pokemonClean, params.testSize);
  // The validation quarter comes from its own seeded shuffle of the training rows only.
  const { trainSet: fitSet, testSet: validationSet } = split(seed + 1000, trainSet, 0.25);
  const { featureSpec, trainData, testData } = features(
    fitSet,
    params.abilitiesCap,
    params.baseTotalBins,
    0.5,
    validationSet,
  );
  const started = performance.now();
  const { model } = await train(
    featureSpec,
    params.hiddenUnits,
    params.dropoutRate,
    seed,
    params.members,
    params.learningRate,
    trainData,
    params.epochs,
    params.averagedEpochs,
    params.legendaryClassWeight,
    params.batchSize,
  );
  const seconds = (performance.now() - started) / 1000;
  const { testLegendaryProbabilities, testTypePredictions } = evaluate(model, testData, featureSpec);
  model.dispose();
  rows.push({
    typeAccuracy: accuracy(testData.typeIndex, testTypePredictions),
    auc: rocAuc(testData.legendary, testLegendaryProbabilities),
    f1: thresholds.map((t) =>
      f1Score(
        testData.legendary,
        testLegendaryProbabilities.map((p) => (p >= t ? 1 : 0)),
      ),
    ),
    seconds,
  });
}
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const changed = Object.entries(params).filter(([k, v]) => defaults[k as keyof Parameters] !== v);
console.log(
  `${file}: validation quarter of the training rows, seeds ${seeds.join(",")}; ${changed.map(([k, v]) => `${k}=${v}`).join(" ") || "defaults"}`,
);
console.log(
  `  type accuracy ${mean(rows.map((r) => r.typeAccuracy)).toFixed(3)}  legendary ROC-AUC ${mean(rows.map((r) => r.auc)).toFixed(3)}  train ${mean(rows.map((r) => r.seconds)).toFixed(1)} s`,
);
console.log(
  `  legendary F1 by threshold: ${thresholds.map((t, i) => `${t}: ${mean(rows.map((r) => r.f1[i] ?? 0)).toFixed(3)}`).join("  ")}`,
);
