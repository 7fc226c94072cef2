/** Finds the project a command runs in: the nearest folder with a package.json. */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ConfigError } from "./errors.ts";

/** The nearest folder at or above `from` that holds a package.json. */
export function findProjectRoot(from: string = process.cwd()): string {
  let folder = resolve(from);
  for (;;) {
    if (existsSync(join(folder, "package.json"))) return folder;
    const parent = dirname(folder);
    if (parent === folder) {
      throw new ConfigError(`No package.json in ${resolve(from)} or above it: run cellforge inside a cellforge project.`, "NO_PROJECT");
    }
    folder = parent;
  }
}
