import { describe, expect, it } from "vitest";
import { describeSchemaType, validateSchema } from "../../../runtime/config/json-schema.ts";

const schema = {
  type: "object",
  properties: {
    hp: { type: "integer", minimum: 1 },
    height_m: { type: ["number", "null"] },
    type2: { anyOf: [{ type: "string" }, { type: "null" }] },
    color: { enum: ["red", "blue"] },
    abilities: { type: "array", items: { type: "string" } },
    spec: { $ref: "#/definitions/Spec" },
  },
  required: ["hp"],
  additionalProperties: false,
  definitions: { Spec: { type: "object", properties: { k: { const: 1 } } } },
};

describe("the JSON-schema subset the extractor emits", () => {
  it("accepts conforming values", () => {
    expect(validateSchema({ hp: 45, height_m: null, type2: "poison", color: "red", abilities: ["Overgrow"], spec: { k: 1 } }, schema)).toEqual([]);
  });

  it("reports each problem with its path", () => {
    expect(validateSchema({ height_m: "tall", abilities: [1], extra: true, color: "green", spec: { k: 2 } }, schema)).toEqual([
      { path: "/hp", message: "is required" },
      { path: "/height_m", message: 'expected number | null, got string "tall"' },
      { path: "/abilities/0", message: "expected string, got integer 1" },
      { path: "/extra", message: "is not allowed" },
      { path: "/color", message: 'expected one of "red" | "blue", got "green"' },
      { path: "/spec/k", message: "expected 1, got 2" },
    ]);
    expect(validateSchema({ hp: 0 }, schema)).toEqual([{ path: "/hp", message: "must be ≥ 1, got 0" }]);
    expect(validateSchema({ hp: 1, type2: 3 }, schema)).toEqual([{ path: "/type2", message: "expected string | null, got 3" }]);
    expect(validateSchema(Number.NaN, { type: "number" })).toHaveLength(1);
  });

  it("describes types the TypeScript way", () => {
    expect(describeSchemaType({ type: "array", items: { type: "number" } })).toBe("number[]");
    expect(describeSchemaType({ enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(describeSchemaType({ $ref: "#/definitions/Spec" }, schema)).toBe("object");
  });
});
