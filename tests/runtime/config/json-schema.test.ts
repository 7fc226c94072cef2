import { describe, expect, it } from "vitest";
import { describeSchemaType } from "../../../runtime/config/json-schema.ts";
import { validateSchema } from "../../../runtime/config/schema-validator.ts";

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
    expect(
      validateSchema(
        { hp: 45, height_m: null, type2: "poison", color: "red", abilities: ["Overgrow"], spec: { k: 1 } },
        schema,
      ),
    ).toEqual([]);
  });

  it("reports each problem with its path, in the schema's order", () => {
    expect(
      validateSchema({ height_m: "tall", abilities: [1], extra: true, color: "green", spec: { k: 2 } }, schema),
    ).toEqual([
      { path: "/hp", message: "is required" },
      { path: "/extra", message: "is not allowed" },
      { path: "/height_m", message: 'expected number | null, got string "tall"' },
      { path: "/color", message: 'expected one of "red" | "blue", got "green"' },
      { path: "/abilities/0", message: "expected string, got integer 1" },
      { path: "/spec/k", message: "expected 1, got 2" },
    ]);
    expect(validateSchema({ hp: 0 }, schema)).toEqual([{ path: "/hp", message: "must be ≥ 1, got 0" }]);
    expect(validateSchema({ hp: 1, type2: 3 }, schema)).toEqual([
      { path: "/type2", message: "expected string | null, got 3" },
    ]);
    expect(validateSchema(Number.NaN, { type: "number" })).toHaveLength(1);
  });

  it("checks every bound the extractor emits, as strictly as Fastify checks requests", () => {
    const bounded = {
      type: "object",
      properties: {
        rate: { type: "number", exclusiveMinimum: 0 },
        name: { type: "string", minLength: 2, maxLength: 4, pattern: "^[a-z]+$" },
        layers: { type: "array", items: { type: "integer" }, minItems: 1, maxItems: 2 },
        pair: { type: "array", items: [{ type: "number" }, { type: "number" }], minItems: 2, maxItems: 2 },
        email: { type: "string", format: "email" },
      },
    };
    expect(
      validateSchema({ rate: 0.1, name: "ab", layers: [64], pair: [1, 2], email: "ash@pallet.town" }, bounded),
    ).toEqual([]);
    expect(validateSchema({ rate: 0, name: "a", layers: [], pair: [1, 2, 3], email: "nope" }, bounded)).toEqual([
      { path: "/rate", message: "must be > 0, got 0" },
      { path: "/name", message: 'must have at least 2 characters, got "a"' },
      { path: "/layers", message: "must have at least 1 item, got 0" },
      { path: "/pair", message: "must have at most 2 items, got 3" },
      { path: "/email", message: 'must be a valid email, got "nope"' },
    ]);
    expect(validateSchema({ name: "ABCDE" }, bounded)).toEqual([
      { path: "/name", message: 'must have at most 4 characters, got "ABCDE"' },
      { path: "/name", message: 'must match /^[a-z]+$/, got "ABCDE"' },
    ]);
  });

  it("describes types the TypeScript way", () => {
    expect(describeSchemaType({ type: "array", items: { type: "number" } })).toBe("number[]");
    expect(describeSchemaType({ enum: ["a", "b"] })).toBe('"a" | "b"');
    expect(describeSchemaType({ $ref: "#/definitions/Spec" }, schema)).toBe("object");
  });
});
