// Generates data/01_raw/pokemon.csv from @pkmn/sim's Dex, with the column names and encodings of Kaggle's "The Complete Pokemon Dataset".
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Dex, type Species } from "@pkmn/sim";

/** Attacking types in column order, with the Kaggle column suffix (Kaggle writes fighting as `fight`). */
export const ATTACK_TYPES = [
  ["Bug", "bug"],
  ["Dark", "dark"],
  ["Dragon", "dragon"],
  ["Electric", "electric"],
  ["Fairy", "fairy"],
  ["Fighting", "fight"],
  ["Fire", "fire"],
  ["Flying", "flying"],
  ["Ghost", "ghost"],
  ["Grass", "grass"],
  ["Ground", "ground"],
  ["Ice", "ice"],
  ["Normal", "normal"],
  ["Poison", "poison"],
  ["Psychic", "psychic"],
  ["Rock", "rock"],
  ["Steel", "steel"],
  ["Water", "water"],
] as const;

/** CSV header, Kaggle column names in our order. */
export const COLUMNS = [
  "pokedex_number",
  "name",
  "type1",
  "type2",
  "hp",
  "attack",
  "defense",
  "sp_attack",
  "sp_defense",
  "speed",
  "base_total",
  "height_m",
  "weight_kg",
  "abilities",
  "percentage_male",
  "generation",
  "is_legendary",
  ...ATTACK_TYPES.map(([, column]) => `against_${column}`),
  "color",
  "egg_groups",
] as const;

const LEGENDARY_TAGS: readonly string[] = ["Sub-Legendary", "Restricted Legendary", "Mythical"];
const LAST_DEX_NUMBER = 1025;
const DEFAULT_OUT = fileURLToPath(new URL("./01_raw/pokemon.csv", import.meta.url));

// Showdown encodes each defending type's damageTaken as 0 neutral, 1 weak, 2 resist, 3 immune.
const DAMAGE_TAKEN_MULTIPLIER: Readonly<Record<number, number>> = { 0: 1, 1: 2, 2: 0.5, 3: 0 };

/** Damage multiplier of an attacking type against a list of defending types, abilities ignored. */
export function typeMultiplier(attackType: string, defendingTypes: readonly string[]): number {
  let multiplier = 1;
  for (const defending of defendingTypes) {
    const code = Dex.types.get(defending).damageTaken[attackType];
    const factor = code === undefined ? undefined : DAMAGE_TAKEN_MULTIPLIER[code];
    if (factor === undefined) throw new Error(`No type chart entry for ${attackType} against ${defending}`);
    multiplier *= factor;
  }
  return multiplier;
}

/** Python's repr of a str, so list cells read exactly like Kaggle's `['Overgrow', 'Chlorophyll']`. */
export function pythonStringRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const escaped = value
    .replaceAll("\\", "\\\\")
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replaceAll("\t", "\\t")
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

/** Python's repr of a list of str, e.g. `['Overgrow', 'Chlorophyll']`. */
export function pythonListRepr(values: readonly string[]): string {
  return `[${values.map(pythonStringRepr).join(", ")}]`;
}

/** One CSV field, quoted per RFC 4180 when it holds a comma, quote or line break. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (without line ending) from a row of field values. */
export function toCsvRow(values: readonly (string | number)[]): string {
  return values.map(csvField).join(",");
}

/** The CSV field values of one species, in COLUMNS order. */
export function speciesRow(species: Species): (string | number)[] {
  const { hp, atk, def, spa, spd, spe } = species.baseStats;
  const { abilities } = species;
  // Regular abilities, then hidden, then special (e.g. Greninja's Battle Bond), as Kaggle lists them.
  const abilityNames = [abilities[0], abilities[1], abilities.H, abilities.S].filter(
    (name): name is string => name !== undefined && name !== "",
  );
  // The ratio is exact in eighths, so rounding only removes binary noise.
  const percentageMale = species.gender === "N" ? "" : Math.round(species.genderRatio.M * 100 * 1000) / 1000;
  return [
    species.num,
    species.name,
    species.types[0]?.toLowerCase() ?? "",
    species.types[1]?.toLowerCase() ?? "",
    hp,
    atk,
    def,
    spa,
    spd,
    spe,
    hp + atk + def + spa + spd + spe,
    species.heightm,
    species.weightkg,
    pythonListRepr(abilityNames),
    percentageMale,
    species.gen,
    species.tags.some((tag) => LEGENDARY_TAGS.includes(tag)) ? 1 : 0,
    ...ATTACK_TYPES.map(([attackType]) => typeMultiplier(attackType, species.types)),
    species.color.toLowerCase(),
    pythonListRepr(species.eggGroups),
  ];
}

/** The base forme of every species in national dex order, 1..1025. */
export function baseSpecies(): Species[] {
  const species = Dex.species
    .all()
    .filter((s) => s.num >= 1 && s.num <= LAST_DEX_NUMBER && s.name === s.baseSpecies)
    .sort((a, b) => a.num - b.num);
  const numbers = species.map((s) => s.num);
  if (numbers.length !== LAST_DEX_NUMBER || numbers.some((num, i) => num !== i + 1)) {
    throw new Error(`Expected one base species for each dex number 1..${LAST_DEX_NUMBER}; the installed @pkmn/sim differs`);
  }
  return species;
}

/** The whole CSV text: header, one line per species, LF endings and a trailing newline. */
export function buildPokemonCsv(): string {
  const lines = [toCsvRow(COLUMNS), ...baseSpecies().map((s) => toCsvRow(speciesRow(s)))];
  return `${lines.join("\n")}\n`;
}

/** Writes the CSV to `out` via a temporary file and a rename, so readers never see half a file. */
export function writePokemonCsv(out: string): void {
  mkdirSync(dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.tmp`;
  writeFileSync(temp, buildPokemonCsv(), "utf8");
  renameSync(temp, out);
}

const isEntryPoint = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntryPoint) {
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const out = resolve(values.out ?? DEFAULT_OUT);
  writePokemonCsv(out);
  console.log(`Wrote ${out}`);
}
