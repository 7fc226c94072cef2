/**
 * Artifacts in a local folder of the project (`.cellforge/models`): a put is copied into a staging
 * folder owned by this process, checked against the expected sha256, made read-only and renamed
 * into place with a pending marker, so a crash never leaves a partial key, and a key left pending
 * by a killed registration is told apart from one complete. Locations are relative to the store's
 * root: the project, or a shared artifact root that machines with other project folders also use.
 */
import { chmod, cp, mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from "node:path";
import { sha256File, storedFile, storedFilesUnder } from "../catalog/digest.ts";
import { projectRelative } from "../catalog/project-path.ts";
import { stableJson } from "@cellforge/contract";
import {
  ArtifactIntegrityError,
  ArtifactKeyTakenError,
  type ArtifactEntry,
  type ArtifactMismatch,
  type ArtifactStore,
  type StoredEntry,
} from "./artifact-store.ts";
import { ownedFolderName, removeAbandonedFolders } from "./owned-folders.ts";

/** Written into a key's folder before it is moved into place, removed by `settle`: a folder with it was left by an interrupted put. */
const PENDING_MARKER = ".registering";

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function makeReadOnly(folder: string): Promise<void> {
  for (const entry of await readdir(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await chmod(join(entry.parentPath, entry.name), 0o444);
  }
}

/** A key as a relative path inside the folder; refuses one that would leave it. */
function keyPath(key: string): string {
  const path = normalize(key);
  if (key === "" || isAbsolute(path) || path === ".." || path.startsWith(`..${sep}`))
    throw new Error(`Artifact key \`${key}\` must be a relative path inside the store.`);
  return path;
}

/** An artifact store in `folder` (absolute, inside `root`: the project, or a shared artifact root), its locations relative to `root`. */
export class LocalArtifactStore implements ArtifactStore {
  constructor(
    readonly root: string,
    readonly folder: string,
  ) {}

  private async stage(staging: string, entry: ArtifactEntry): Promise<void> {
    const target = join(staging, entry.name);
    await mkdir(target, { recursive: true });
    const copy = entry.folder ? target : join(target, basename(entry.source));
    await cp(entry.source, copy, { recursive: true });
    const staged = entry.folder ? await storedFilesUnder(copy) : [await storedFile(copy)];
    const got = stableJson(
      staged.map((f) => [entry.folder ? relative(copy, f.path) : basename(f.path), f.sha256]).sort(),
    );
    const want = stableJson(entry.expected.map((f) => [f.relative, f.sha256]).sort());
    if (got !== want) throw new ArtifactIntegrityError(entry.name, projectRelative(this.root, entry.source));
  }

  async put(key: string, entries: readonly ArtifactEntry[]): Promise<StoredEntry[]> {
    const target = join(this.folder, keyPath(key));
    await mkdir(this.folder, { recursive: true });
    await removeAbandonedFolders(this.folder, "staging");
    const staging = join(this.folder, ownedFolderName("staging"));
    try {
      for (const entry of entries) await this.stage(staging, entry);
      await makeReadOnly(staging);
      await writeFile(join(staging, PENDING_MARKER), JSON.stringify({ pid: process.pid }));
      if (await exists(target)) {
        if (!(await exists(join(target, PENDING_MARKER))))
          throw new ArtifactKeyTakenError(key, projectRelative(this.root, target));
        // Left by a put killed before it was settled: never recorded, so never read.
        await rm(target, { recursive: true, force: true });
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(staging, target);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
    return entries.map((entry) => {
      const folder = join(target, entry.name);
      return {
        name: entry.name,
        location: projectRelative(this.root, entry.folder ? folder : join(folder, basename(entry.source))),
        files: entry.expected.map((f) => ({
          location: projectRelative(this.root, join(folder, f.relative)),
          sha256: f.sha256,
          size: f.size,
        })),
      };
    });
  }

  async settle(key: string): Promise<void> {
    await rm(join(this.folder, keyPath(key), PENDING_MARKER), { force: true });
  }

  async taken(key: string): Promise<string | undefined> {
    const target = join(this.folder, keyPath(key));
    const settled = (await exists(target)) && !(await exists(join(target, PENDING_MARKER)));
    return settled ? projectRelative(this.root, target) : undefined;
  }

  path(location: string): string {
    return join(this.root, location);
  }

  async verify(files: readonly { location: string; sha256: string }[]): Promise<ArtifactMismatch[]> {
    const mismatches: ArtifactMismatch[] = [];
    for (const file of files) {
      const actual = await sha256File(this.path(file.location)).catch(() => undefined);
      if (actual !== file.sha256) mismatches.push({ location: file.location, expected: file.sha256, actual });
    }
    return mismatches;
  }

  async remove(key: string): Promise<void> {
    const target = join(this.folder, keyPath(key));
    for (const entry of await readdir(target, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (entry.isFile()) await chmod(join(entry.parentPath, entry.name), 0o644);
    }
    await rm(target, { recursive: true, force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const folder = prefix === "" ? this.folder : join(this.folder, keyPath(prefix));
    const names = await readdir(folder, { withFileTypes: true }).catch(() => []);
    return names
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
      .map((entry) => (prefix === "" ? entry.name : `${prefix}/${entry.name}`))
      .sort();
  }
}
