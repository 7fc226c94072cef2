// A run's epoch metrics logged twice, by TF.js (`loss`, `type_loss`) and by the node's history record
// (`history.loss`, `history.typeLoss`), are shown once, under the plain name; different series stay.
import { describe, expect, it } from "vitest";
import { repeatedMetricKeys, withoutRepeatedMetrics } from "../../../runtime/tracking/repeated-metrics.ts";
import type { MetricPoint } from "../../../runtime/tracking/store.ts";

const series = (key: string, values: number[], firstStep = 0): MetricPoint[] =>
  values.map((value, i) => ({ key, value, step: firstStep + i, timestamp: 1000 + i }));

describe("repeated metric series", () => {
  const history = [
    ...series("loss", [0.9, 0.5, 0.3]),
    ...series("type_loss", [0.7, 0.4, 0.2]),
    ...series("history.loss", [0.9, 0.5, 0.3]),
    ...series("history.typeLoss", [0.7, 0.4, 0.2]),
    ...series("history.legendaryLoss", [0.2, 0.1, 0.05]),
    ...series("val_loss", [0.9, 0.5, 0.31]),
  ];

  it("names the record's copies of TF.js's series, whatever their names", () => {
    expect([...repeatedMetricKeys(history)].sort()).toEqual(["history.loss", "history.typeLoss"]);
  });

  it("leaves them out of the run's metrics and history, keeping every other series", () => {
    const run = withoutRepeatedMetrics({
      metrics: { loss: 0.3, type_loss: 0.2, "history.loss": 0.3, "history.typeLoss": 0.2, accuracy: 0.8 },
      metricHistory: history,
    });
    expect(Object.keys(run.metrics)).toEqual(["loss", "type_loss", "accuracy"]);
    expect(new Set(run.metricHistory.map((p) => p.key))).toEqual(
      new Set(["loss", "type_loss", "history.legendaryLoss", "val_loss"]),
    );
  });

  it("keeps single values that happen to be equal: only whole step series repeat", () => {
    const run = {
      metrics: { f1: 0.5, "report.f1": 0.5 },
      metricHistory: [...series("f1", [0.5]), ...series("report.f1", [0.5])],
    };
    expect(withoutRepeatedMetrics(run)).toBe(run);
  });
});
