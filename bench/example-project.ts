// A scratch copy of the example project (catalog, raw data, extracted pipeline) for the runtime benches,
// so that they never touch the repository's data/ or .cellforge/. Linked to the repository's node_modules.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** A scratch project; `remove()` deletes it. */
export interface ScratchProject {
  root: string;
  remove(): void;
}

/** Copies package.json, conf/base/catalog.yml, data/01_raw/pokemon.csv and pipelines/train into .tmp/bench/. */
export function copyExampleProject(): ScratchProject {
  const scratch = join(repoRoot, ".tmp", "bench");
  mkdirSync(scratch, { recursive: true });
  const root = mkdtempSync(join(scratch, "project-"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "bench-project", private: true, type: "module" }));
  for (const path of ["conf/base/catalog.yml", "data/01_raw/pokemon.csv", "pipelines/train"]) {
    cpSync(join(repoRoot, path), join(root, path), { recursive: true });
  }
  symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
