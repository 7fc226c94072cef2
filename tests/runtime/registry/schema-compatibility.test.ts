import { describe, expect, it } from "vitest";
import { breakingChanges } from "../../../runtime/registry/schema-compatibility.ts";

const base = {
  type: "object",
  properties: {
    hp: { type: "integer" },
    height_m: { type: ["number", "null"] },
    color: { enum: ["red", "blue", "green"] },
    abilities: { type: "array", items: { type: "string" } },
    nickname: { type: "string" },
  },
  required: ["hp"],
  additionalProperties: false,
};
const withProperties = (properties: Record<string, unknown>, required = ["hp"]) => ({
  ...base,
  properties: { ...base.properties, ...properties },
  required,
});

describe("request-schema compatibility", () => {
  it("allows an unchanged schema, a new optional field and a widened type", () => {
    expect(breakingChanges(base, base)).toEqual([]);
    expect(breakingChanges(base, withProperties({ speed: { type: "number" } }))).toEqual([]);
    expect(breakingChanges(base, withProperties({ hp: { type: "number" } }))).toEqual([]);
    expect(breakingChanges(base, withProperties({ color: { enum: ["red", "blue", "green", "pink"] } }))).toEqual([]);
  });

  it("names a removed field, a retyped field, a newly required field and dropped enum values", () => {
    const { nickname: _, ...rest } = base.properties;
    expect(breakingChanges(base, { ...base, properties: rest })).toEqual(["field `nickname` was removed"]);
    expect(breakingChanges(base, withProperties({ height_m: { type: "number" } }))).toEqual([
      "field `height_m` changed type from number | null to number",
    ]);
    expect(breakingChanges(base, withProperties({ hp: { type: "string" } }))).toEqual([
      "field `hp` changed type from integer to string",
    ]);
    expect(breakingChanges(base, withProperties({}, ["hp", "nickname"]))).toEqual(["field `nickname` is now required"]);
    expect(breakingChanges(base, withProperties({ speed: { type: "number" } }, ["hp", "speed"]))).toEqual([
      "field `speed` is new and required",
    ]);
    expect(breakingChanges(base, withProperties({ color: { enum: ["red"] } }))).toEqual([
      'field `color` no longer accepts "blue", "green"',
    ]);
    expect(breakingChanges(base, withProperties({ abilities: { type: "array", items: { type: "integer" } } }))).toEqual(
      ["field `abilities[]` changed type from string to integer"],
    );
  });
});
