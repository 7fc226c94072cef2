/** Resolves dataset paths against the project root and refuses paths that leave it. */
import { isAbsolute, relative, resolve } from "node:path";
import { PathOutsideProjectError } from "./errors.ts";

/** Absolute path of `path` (relative to `root`, or absolute inside it); throws when it escapes the project. */
export function resolveInProject(root: string, path: string, dataset: string): string {
  const absolute = resolve(root, path);
  const fromRoot = relative(root, absolute);
  if (fromRoot === "" || fromRoot.split(/[\\/]/)[0] === ".." || isAbsolute(fromRoot)) {
    throw new PathOutsideProjectError(dataset, path, root);
  }
  return absolute;
}

/** `path` relative to the project root, with forward slashes, for messages and records. */
export function projectRelative(root: string, path: string): string {
  return relative(root, path).split("\\").join("/");
}
