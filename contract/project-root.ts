// Finds the project a command or a notebook belongs to: the nearest folder with a package.json.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/** The nearest folder at or above `from` that holds a package.json, if any. */
export function nearestProjectRoot(from: string): string | undefined {
  for (let folder = resolve(from); ; folder = dirname(folder)) {
    if (existsSync(join(folder, "package.json"))) return folder;
    if (dirname(folder) === folder) return undefined;
  }
}

/**
 * The project root of `folder` (so that `data/…` resolves as in the pipeline), else `folder` itself: where a
 * notebook's kernel runs and where `extract` puts a notebook's outputs outside any project.
 */
export function projectRootOf(folder: string): string {
  return nearestProjectRoot(folder) ?? resolve(folder);
}
