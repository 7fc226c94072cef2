/** Finds the project a command or a notebook belongs to: the nearest folder with a package.json. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "./errors.ts";

/** The nearest folder at or above `from` that holds a package.json, if any. */
export function nearestProjectRoot(from: string): string | undefined {
  for (let folder = resolve(from); ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json"))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}

/** The nearest folder at or above `from` that holds a package.json; throws outside a project. */
export function findProjectRoot(from: string = process.cwd()): string {
  const root = nearestProjectRoot(from);
  if (root === undefined) {
    throw new ConfigError(`No package.json in ${resolve(from)} or above it: run cellforge inside a cellforge project.`, "NO_PROJECT");
  }
  return root;
}

/**
 * The folder a notebook's kernel runs in: its project root, so that `data/…` resolves as in the
 * pipeline (the kernelspec's jupyter-kernel.js applies the same rule), else the notebook's own folder.
 */
export function projectRootOf(dir: string): string {
  return nearestProjectRoot(dir) ?? resolve(dir);
}
