import { describe, expect, it } from "vitest";
import { asConfusionMatrix, confusionMatrixTable } from "../../../runtime/ui/confusion-matrix.ts";

describe("confusion matrix heat map", () => {
  it("reads the train notebook's {actual: {predicted: count}} and the {labels, matrix} form", () => {
    expect(asConfusionMatrix({ fire: { fire: 8, water: 2 }, water: { water: 5 } })).toEqual({
      labels: ["fire", "water"],
      counts: [
        [8, 2],
        [0, 5],
      ],
    });
    expect(
      asConfusionMatrix({
        labels: ["a", "b"],
        matrix: [
          [1, 0],
          [2, 3],
        ],
      }),
    ).toEqual({
      labels: ["a", "b"],
      counts: [
        [1, 0],
        [2, 3],
      ],
    });
  });

  it("is not fooled by other JSON", () => {
    for (const value of [
      null,
      [],
      { a: 1 },
      { a: { a: 1 } },
      { a: { b: 1 }, b: { c: 1 } },
      { a: { a: -1 }, b: { b: 1 } },
      { a: { a: "1" }, b: { b: 1 } },
      { labels: ["a", "b"], matrix: [[1]] },
    ]) {
      expect(asConfusionMatrix(value)).toBeUndefined();
    }
  });

  it("colours cells by their share of the row, marks the diagonal and gives each class's recall", () => {
    const table = confusionMatrixTable(
      {
        labels: ["fire", "<water>"],
        counts: [
          [8, 2],
          [0, 5],
        ],
      },
      "confusionMatrix",
    ).text;
    expect(table).toContain("13 of 15 on the diagonal (87%)");
    expect(table).toMatch(
      /<td class="diagonal dark" style="background:hsl\(214 72% 43\.6%\)" title="actual fire, predicted fire: 8 of 10 \(80%\)"/,
    );
    expect(table).toMatch(/<td class="zero" style="" title="actual &lt;water&gt;, predicted fire: 0 of 5 \(0%\)"/);
    expect(table).toMatch(/<td class="total">10<\/td><td class="recall">80%<\/td>/);
    expect(table).not.toContain("<water>");
  });
});
