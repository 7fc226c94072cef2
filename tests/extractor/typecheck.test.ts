// Every generated module (the goldens and the committed pipelines/) type-checks under the project's strict tsconfig.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { golden, repoRoot } from "./fixtures.ts";
import { typeCheck } from "./typecheck.ts";

function modulesIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(dir, name));
}

it("type-checks the golden modules and pipelines/ with the root tsconfig", () => {
  const pipelines = join(repoRoot, "pipelines");
  const files = [
    ...modulesIn(golden("pokemon")),
    ...modulesIn(golden("dataflow")),
    ...readdirSync(pipelines, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => modulesIn(join(pipelines, entry.name))),
  ];
  expect(files.length).toBeGreaterThan(10);
  expect(typeCheck(files)).toBe("");
}, 180_000);
