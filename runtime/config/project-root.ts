/** The project a cellforge command runs in: the nearest folder with a package.json, or an error outside one. */
import { resolve } from "node:path";
import { nearestProjectRoot } from "@cellforge/contract";
import { ConfigError } from "./errors.ts";

/** The nearest folder at or above `from` that holds a package.json; throws outside a project. */
export function findProjectRoot(from: string = process.cwd()): string {
  const root = nearestProjectRoot(from);
  if (root === undefined) {
    throw new ConfigError(
      `No package.json in ${resolve(from)} or above it: run cellforge inside a cellforge project.`,
      "NO_PROJECT",
    );
  }
  return root;
}
