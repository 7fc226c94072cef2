// One "did you mean" for every tool: directive typos, parameter, node, model and metric names.
import { describe, expect, it } from "vitest";
import { didYouMean, didYouMeanHint } from "@cellforge/contract";

describe("didYouMean", () => {
  it("suggests the nearest name, ignoring case, and keeps the candidate's spelling", () => {
    expect(didYouMean("paramters", ["parameters", "load", "node"])).toBe("parameters");
    expect(didYouMean("typeacuracy", ["typeAccuracy", "loss"])).toBe("typeAccuracy");
    expect(didYouMean("para", ["parameters", "predict"])).toBe("parameters");
  });

  it("suggests nothing for a word no candidate is close to", () => {
    expect(didYouMean("xyz", ["parameters", "load"])).toBeUndefined();
    expect(didYouMeanHint("xyz", new Set(["epochs"]))).toBe("");
  });

  it("reads as a clause to append to a runtime message", () => {
    expect(didYouMeanHint("epoch", new Set(["epochs", "model"]))).toBe(" (did you mean `epochs`?)");
  });
});

describe("didYouMeanHint", () => {
  it("does not take a prefix for a typo: run names are often prefixes of one another", () => {
    expect(didYouMeanHint("typeAcc", ["typeAccuracy", "loss"])).toBe("");
    expect(didYouMean("typeAcc", ["typeAccuracy", "loss"])).toBe("typeAccuracy");
  });
});
