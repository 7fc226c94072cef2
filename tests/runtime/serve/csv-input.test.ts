// CSV bodies for POST /invocations, typed by the Pokémon model's request schema (the notebook's PokemonStats).
import { describe, expect, it } from "vitest";
import { csvRows, parseCsv } from "../../../runtime/serve/csv-input.ts";
import { inputSchema } from "../../../pipelines/train/predict.ts";

const header = "hp,attack,defense,sp_attack,sp_defense,speed,height_m,weight_kg,abilities,percentage_male,generation";

describe("csvRows", () => {
  it("types each cell by its field: numbers, null for an empty nullable cell, lists as pandas or JSON writes them", () => {
    const csv = [
      header,
      `78,84,78,109,85,100,1.7,90.5,"['Blaze', 'Solar Power']",88.1,1`,
      // Genderless, height unknown; a name with an apostrophe, which Python quotes with double quotes.
      `106,110,90,154,90,130,,122,"[""Pressure"", ""Farfetch'd""]",,1`,
      // A Python escape in a single-quoted string; and a JSON list.
      `52,90,55,58,62,60,0.8,15,"['Inner Focus', 'Keen Eye\\n']",50,1`,
      ` 45 ,49,49,65,65,45,0.7,6.9,"[""Overgrow""]",87.5,1`,
    ].join("\n");
    expect(csvRows(csv, inputSchema)).toEqual([
      {
        hp: 78,
        attack: 84,
        defense: 78,
        sp_attack: 109,
        sp_defense: 85,
        speed: 100,
        height_m: 1.7,
        weight_kg: 90.5,
        abilities: ["Blaze", "Solar Power"],
        percentage_male: 88.1,
        generation: 1,
      },
      {
        hp: 106,
        attack: 110,
        defense: 90,
        sp_attack: 154,
        sp_defense: 90,
        speed: 130,
        height_m: null,
        weight_kg: 122,
        abilities: ["Pressure", "Farfetch'd"],
        percentage_male: null,
        generation: 1,
      },
      {
        hp: 52,
        attack: 90,
        defense: 55,
        sp_attack: 58,
        sp_defense: 62,
        speed: 60,
        height_m: 0.8,
        weight_kg: 15,
        abilities: ["Inner Focus", "Keen Eye\n"],
        percentage_male: 50,
        generation: 1,
      },
      {
        hp: 45,
        attack: 49,
        defense: 49,
        sp_attack: 65,
        sp_defense: 65,
        speed: 45,
        height_m: 0.7,
        weight_kg: 6.9,
        abilities: ["Overgrow"],
        percentage_male: 87.5,
        generation: 1,
      },
    ]);
  });

  it("reads a JSON list with escapes Python would not write", () => {
    const [row] = csvRows(
      `${header}\n44,38,39,61,79,42,0.1,0.1,"[""Flab\\u00e9b\\u00e9"", ""Flower Veil""]",0,6\n`,
      inputSchema,
    );
    expect(row).toMatchObject({ abilities: ["Flabébé", "Flower Veil"], percentage_male: 0 });
  });

  it("leaves a cell that is none of what its field takes as text, for validation to name", () => {
    const [row] = csvRows(`${header}\nmany,84,78,109,85,100,1.7,NaN,Blaze,88.1,1\n`, inputSchema);
    expect(row).toMatchObject({ hp: "many", weight_kg: "NaN", abilities: "Blaze" });
  });
});

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks, a byte-order mark and a last line without a line end", () => {
    expect(parseCsv('\ufeffname,note\r\n"Mr. Mime","says ""hi"", twice"\n"Type: Null","two\nlines"')).toEqual([
      ["name", "note"],
      ["Mr. Mime", 'says "hi", twice'],
      ["Type: Null", "two\nlines"],
    ]);
  });
});
