// A batch answer written while its rows are predicted (json-answer.ts), against JSON.stringify of the whole answer.
import { describe, expect, it } from "vitest";
import { PredictionsAnswer, predictionsAnswer } from "../../../runtime/serve/json-answer.ts";

/** Predictions whose numbers are not float32s, so JSON.stringify writes the same digits as the answer. */
const predictions = Array.from({ length: 1234 }, (_, i) => ({
  type: i % 3 === 0 ? "grass" : "fire",
  score: i / 10 + 0.1,
  parts: [i, null, `row "${i}"`],
}));
const expected = JSON.stringify({ predictions });

describe("PredictionsAnswer", () => {
  it("writes runs of predictions as the batcher hands them over, then closes the answer", async () => {
    const answer = new PredictionsAnswer();
    const results = new Array<unknown>(predictions.length);
    for (let from = 0; from < predictions.length; from += 128) {
      const to = Math.min(predictions.length, from + 128);
      for (let i = from; i < to; i++) results[i] = predictions[i];
      answer.predicted(results, from, to);
    }
    expect((await answer.finish(predictions)).toString()).toBe(expected);
  });

  it("writes at the end, in order, the runs handed over out of order (a batch retried request by request)", async () => {
    const answer = new PredictionsAnswer();
    answer.predicted(predictions, 0, 100);
    answer.predicted(predictions, 300, 400); // not after the rows written: left for finish
    answer.predicted(predictions, 100, 300);
    expect((await answer.finish(predictions)).toString()).toBe(expected);
  });

  it("writes a whole answer given at once, and an empty one", async () => {
    expect((await predictionsAnswer(predictions)).toString()).toBe(expected);
    expect((await predictionsAnswer([])).toString()).toBe('{"predictions":[]}');
  });
});
