/** Shared by the end-to-end tests: whether to skip them, and what a prediction of the Pokémon model must look like. */
import { expect } from "vitest";

export { CHARIZARD } from "../fixtures/charizard.ts";

/** CELLFORGE_SKIP_E2E=1 skips the slow end-to-end tests on a developer's machine; CI does not set it. */
export const skipE2e = process.env["CELLFORGE_SKIP_E2E"] === "1";

/** The 18 primary types the model predicts among. */
export const POKEMON_TYPES = [
  "bug",
  "dark",
  "dragon",
  "electric",
  "fairy",
  "fighting",
  "fire",
  "flying",
  "ghost",
  "grass",
  "ground",
  "ice",
  "normal",
  "poison",
  "psychic",
  "rock",
  "steel",
  "water",
];

/** Asserts a valid typed answer: a type among the 18, type probabilities summing to about 1, a legendary probability in [0, 1]. */
export function expectPokemonPrediction(answer: unknown): void {
  const { type, typeProbabilities, legendaryProbability, isLegendary } = answer as {
    type: unknown;
    typeProbabilities: Record<string, number>;
    legendaryProbability: unknown;
    isLegendary: unknown;
  };
  expect(typeof type).toBe("string");
  expect(typeof legendaryProbability).toBe("number");
  expect(typeof isLegendary).toBe("boolean");
  expect(POKEMON_TYPES).toContain(type);
  expect(Object.keys(typeProbabilities).sort()).toEqual(POKEMON_TYPES);
  expect(Object.values(typeProbabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
  expect(Math.max(...Object.values(typeProbabilities))).toBe(typeProbabilities[type as string]);
  expect(legendaryProbability).toBeGreaterThanOrEqual(0);
  expect(legendaryProbability).toBeLessThanOrEqual(1);
}
