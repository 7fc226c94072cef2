/** The project a notebook belongs to: the nearest folder above it with a package.json. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

/**
 * The nearest folder at or above `dir` that holds a package.json, or `dir` itself when there is none.
 * Notebooks read `data/…` relative to the project root, so kernels run there (the kernelspec's
 * jupyter-kernel.js applies the same rule to Jupyter's working directory).
 */
export function projectRootOf(dir: string): string {
  const start = resolve(dir);
  for (let current = start; ; current = dirname(current)) {
    if (existsSync(join(current, "package.json"))) return current;
    if (dirname(current) === current) return start;
  }
}
