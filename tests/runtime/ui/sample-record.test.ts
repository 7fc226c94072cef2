import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { validateSchema } from "../../../runtime/config/schema-validator.ts";
import { pythonList } from "../../../runtime/catalog/cell-typing.ts";
import { cellValue, parseCsv, sampleLabels, sampleRecord } from "../../../runtime/ui/sample-record.ts";
import { inputSchema } from "../../../pipelines/train/predict.ts";
import { CHARIZARD } from "../../fixtures/charizard.ts";

const pokemon = { pokemon: join(resolve(import.meta.dirname, "../../.."), "data/01_raw/pokemon.csv") };

describe("sample records from the project's data", () => {
  it("shapes Charizard's row of pokemon.csv by the model's request schema", () => {
    const sample = sampleRecord(pokemon, inputSchema, "charizard");
    expect(sample?.label).toBe("Charizard");
    expect(sample?.row["type1"]).toBe("fire");
    expect(sample?.record).toEqual(CHARIZARD);
    expect(validateSchema(sample?.record, inputSchema)).toEqual([]);
  });

  it("gives null for an empty cell where the schema allows it (a genderless Pokémon)", () => {
    const magnemite = sampleRecord(pokemon, inputSchema, "Magnemite");
    expect(magnemite?.record["percentage_male"]).toBeNull();
    expect(validateSchema(magnemite?.record, inputSchema)).toEqual([]);
  });

  it("offers every name of the data set, and nothing for a name it lacks", () => {
    const labels = sampleLabels(pokemon);
    expect(labels).toHaveLength(1025);
    expect(labels).toContain("Pikachu");
    expect(sampleRecord(pokemon, inputSchema, "Missingno")).toBeUndefined();
  });

  it("parses CSV quoting and Python-list text", () => {
    expect(parseCsv('a,b\n1,"x, ""y"""\r\n2,\n')).toEqual([
      ["a", "b"],
      ["1", 'x, "y"'],
      ["2", ""],
    ]);
    expect(pythonList(`['Blaze', "Farfetch'd", 'a\\'b']`)).toEqual(["Blaze", "Farfetch'd", "a'b"]);
    expect(pythonList("[1, 2.5]")).toEqual([1, 2.5]);
    expect(pythonList("Blaze")).toBeUndefined();
    expect(cellValue("", { type: "number" })).toBeUndefined();
    expect(cellValue("3", { type: "integer" })).toBe(3);
    expect(cellValue("true", { type: "boolean" })).toBe(true);
  });
});
