// Stable JSON: the text hashes and equality checks (registry, serve, tracking) compare.
import { describe, expect, it } from "vitest";
import { stableJson } from "@cellforge/contract";

describe("stableJson", () => {
  it("gives equal values equal text whatever the key order, dropping undefined properties", () => {
    expect(stableJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(stableJson({ a: 1, b: 2 })).toBe(stableJson({ b: 2, a: 1 }));
  });
});
