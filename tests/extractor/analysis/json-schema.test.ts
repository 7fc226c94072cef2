// TypeScript types to JSON schemas, as the predict module's request and response schemas use them.
import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";
import { jsonSchemaOf, SchemaError } from "../../../extractor/analysis/json-schema.ts";

const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });

/** The schema of type alias `T` declared after `declarations`. */
function schemaOf(declarations: string, path = "value"): unknown {
  const file = project.createSourceFile(`/t${Math.random().toString(36).slice(2)}.ts`, declarations);
  const alias = file.getTypeAliasOrThrow("T");
  return jsonSchemaOf(alias.getType(), alias, path);
}

describe("jsonSchemaOf", () => {
  it("maps primitives, literal unions to enums, and nullable types to type arrays", () => {
    expect(schemaOf("type T = string;")).toEqual({ type: "string" });
    expect(schemaOf("type T = boolean;")).toEqual({ type: "boolean" });
    expect(schemaOf('type T = "fire" | "water";')).toEqual({ type: "string", enum: ["fire", "water"] });
    expect(schemaOf("type T = 1 | 2 | 3;")).toEqual({ type: "number", enum: [1, 2, 3] });
    expect(schemaOf('type T = "a";')).toEqual({ type: "string", const: "a" });
    expect(schemaOf("type T = number | null;")).toEqual({ type: ["number", "null"] });
    expect(schemaOf('type T = "a" | "b" | null;')).toEqual({ type: ["string", "null"], enum: ["a", "b", null] });
  });

  it("maps objects with required and optional properties, closed to other properties, with JSDoc", () => {
    const schema = schemaOf(`
      /** One Pokémon. */
      interface Stats {
        /**
         * Generation, 1 to 9.
         * @integer
         * @minimum 1
         */
        generation: number;
        name?: string;
        abilities: readonly string[];
        size: [number, number];
        extra: Record<string, number>;
        legendary: boolean | undefined;
      }
      type T = Stats;`);
    expect(schema).toEqual({
      type: "object",
      description: "One Pokémon.",
      properties: {
        generation: { type: "integer", description: "Generation, 1 to 9.", minimum: 1 },
        name: { type: "string" },
        abilities: { type: "array", items: { type: "string" } },
        size: {
          type: "array",
          items: [{ type: "number" }, { type: "number" }],
          minItems: 2,
          maxItems: 2,
          additionalItems: false,
        },
        extra: { type: "object", additionalProperties: { type: "number" } },
        legendary: { type: "boolean" },
      },
      required: ["generation", "abilities", "size", "extra"],
      additionalProperties: false,
    });
  });

  it("maps unions of objects to anyOf and dates to date-time strings", () => {
    expect(schemaOf("type T = { a: number } | { b: string };")).toEqual({
      anyOf: [
        { type: "object", properties: { a: { type: "number" } }, required: ["a"], additionalProperties: false },
        { type: "object", properties: { b: { type: "string" } }, required: ["b"], additionalProperties: false },
      ],
    });
    expect(schemaOf("type T = { at: Date };")).toMatchObject({
      properties: { at: { type: "string", format: "date-time" } },
    });
  });

  it("rejects what JSON cannot carry, naming where it is", () => {
    expect(() => schemaOf("type T = { score(): number };", "rows[]")).toThrow(
      new SchemaError("rows[].score", "is a method or function, which JSON cannot carry"),
    );
    expect(() => schemaOf("class Scaler { factor = 1 }\ntype T = { scaler: Scaler };")).toThrow(
      /`value\.scaler` is a class instance \(`Scaler`\)/,
    );
    expect(() => schemaOf("interface Tree { children: Tree[] }\ntype T = Tree;")).toThrow(/is a recursive type/);
    expect(() => schemaOf("type T = { a: undefined };")).toThrow(/`value\.a` can be `undefined`/);
  });
});
