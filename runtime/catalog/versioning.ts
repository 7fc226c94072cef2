/** Kedro-style dataset versions: `path/<version>/<file name>`, versions named by their UTC save time. */
import { readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";

/** A version name for a save at `date`: ISO time with dots for colons, as Kedro names them. */
export function versionAt(date: Date = new Date()): string {
  return date.toISOString().replace(/:/g, ".");
}

/** Where version `version` of the dataset at `path` lives. */
export function versionedPath(path: string, version: string): string {
  return join(path, version, basename(path));
}

/** The saved versions of the dataset at `path`, oldest first. */
export async function listVersions(path: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path);
  } catch {
    return [];
  }
  const present = await Promise.all(
    names.map(async (name) => {
      try {
        await stat(versionedPath(path, name));
        return name;
      } catch {
        return undefined;
      }
    }),
  );
  return present.filter((name): name is string => name !== undefined).sort();
}
