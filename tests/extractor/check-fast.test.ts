// The unchanged `--check` of the pre-commit hook decides from header hashes without loading ts-morph.
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { checkNotebook } from "../../extractor/cli/check.ts";
import { fixture, golden, GOLDEN_VERSION } from "./fixtures.ts";

it("checks an up-to-date notebook without importing ts-morph", async () => {
  const result = await checkNotebook(fixture("pokemon"), {
    outDir: golden("pokemon"),
    extractorVersion: GOLDEN_VERSION,
  });
  expect(result).toMatchObject({ upToDate: true, fast: true });
  const loadedTsMorph = (): string[] =>
    Object.keys(createRequire(import.meta.url).cache).filter((path) => path.includes("ts-morph"));
  expect(loadedTsMorph()).toEqual([]);
  // The control: this way of looking does see ts-morph once it is loaded.
  await import("ts-morph");
  expect(loadedTsMorph()).not.toEqual([]);
});
