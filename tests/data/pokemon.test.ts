// Checks the committed data/01_raw/pokemon.csv: it is what `npm run data:build` writes, and its values follow Kaggle's encodings.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const csvPath = join(repoRoot, "data/01_raw/pokemon.csv");

const EXPECTED_COLUMNS = [
  "pokedex_number", "name", "type1", "type2", "hp", "attack", "defense", "sp_attack", "sp_defense", "speed",
  "base_total", "height_m", "weight_kg", "abilities", "percentage_male", "generation", "is_legendary",
  "against_bug", "against_dark", "against_dragon", "against_electric", "against_fairy", "against_fight",
  "against_fire", "against_flying", "against_ghost", "against_grass", "against_ground", "against_ice",
  "against_normal", "against_poison", "against_psychic", "against_rock", "against_steel", "against_water",
  "color", "egg_groups",
];

/** Parses RFC 4180 CSV text: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        inQuotes = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      inQuotes = true;
    } else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else {
      field += char;
    }
  }
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

const committed = readFileSync(csvPath, "utf8");
const [header = [], ...rows] = parseCsv(committed);
const byName = new Map(rows.map((row) => [row[1], Object.fromEntries(header.map((column, i) => [column, row[i]]))]));

/** The parsed row of one species by its dex name; fails the test when it is missing. */
function pokemon(name: string): Record<string, string | undefined> {
  const row = byName.get(name);
  if (row === undefined) throw new Error(`No row named ${name} in pokemon.csv`);
  return row;
}

describe("data/01_raw/pokemon.csv", () => {
  it("is exactly what data/build-pokemon.ts generates", () => {
    const dir = mkdtempSync(join(tmpdir(), "cellforge-pokemon-"));
    try {
      const out = join(dir, "pokemon.csv");
      execFileSync(join(repoRoot, "node_modules/.bin/tsx"), ["data/build-pokemon.ts", "--out", out], {
        cwd: repoRoot,
        stdio: "pipe",
      });
      expect(readFileSync(out).equals(readFileSync(csvPath))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has the Kaggle column names in order, LF line endings and a trailing newline", () => {
    expect(header).toEqual(EXPECTED_COLUMNS);
    expect(committed.includes("\r")).toBe(false);
    expect(committed.endsWith("\n")).toBe(true);
  });

  it("has one complete row per national dex number 1..1025, in order", () => {
    expect(rows).toHaveLength(1025);
    expect(rows.map((row) => Number(row[0]))).toEqual(Array.from({ length: 1025 }, (_, i) => i + 1));
    for (const row of rows) expect(row).toHaveLength(EXPECTED_COLUMNS.length);
  });

  it("encodes Bulbasaur like the Kaggle file", () => {
    expect(pokemon("Bulbasaur")).toMatchObject({
      pokedex_number: "1",
      type1: "grass",
      type2: "poison",
      hp: "45",
      attack: "49",
      base_total: "318",
      height_m: "0.7",
      weight_kg: "6.9",
      abilities: "['Overgrow', 'Chlorophyll']",
      percentage_male: "87.5",
      generation: "1",
      is_legendary: "0",
      against_fire: "2",
      against_water: "0.5",
      against_grass: "0.25",
      egg_groups: "['Monster', 'Grass']",
    });
  });

  it("marks legendary and mythical species", () => {
    expect(pokemon("Mewtwo").is_legendary).toBe("1");
    expect(pokemon("Mew").is_legendary).toBe("1");
  });

  it("leaves percentage_male empty for genderless species", () => {
    expect(pokemon("Magnemite").percentage_male).toBe("");
  });

  it("multiplies both types' weaknesses", () => {
    expect(pokemon("Charizard")).toMatchObject({ type1: "fire", type2: "flying", against_rock: "4", against_ground: "0" });
  });

  it("writes an ability with an apostrophe the way Python's repr does", () => {
    expect(pokemon("Regidrago").abilities).toBe(`["Dragon's Maw"]`);
  });
});
