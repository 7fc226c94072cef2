/**
 * Each run's own copy of the files it saved (MLflow's run artifacts): when a node saves a file
 * dataset, the saved file or folder is copied, read-only, into <artifacts>/<run id>/<dataset>/,
 * and the run records the copy's sha256. The model registry registers from these copies, and the
 * UI shows a run's reports from them, so a later run rewriting data/ never changes what an earlier
 * run produced.
 */
import { chmod, cp, mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, join, relative } from "node:path";
import { storedFile, storedFilesUnder } from "../catalog/digest.ts";
import { projectRelative } from "../catalog/project-path.ts";
import { ownedFolderName, removeAbandonedFolders } from "./owned-folders.ts";
import type { ArtifactRecord } from "./store.ts";

/** The folder holding run `runId`'s copy of `dataset`: its one entry is the saved file or folder, under its own name. */
export function runArtifactFolder(artifactsPath: string, runId: string, dataset: string): string {
  return join(artifactsPath, runId, dataset);
}

/** The saved file or folder inside a run's artifact folder, or undefined when the run kept no copy; any other read failure (ENOTDIR, EIO…) is thrown, not taken for a missing copy. */
export async function runArtifactEntry(folder: string): Promise<{ path: string; folder: boolean } | undefined> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => !name.startsWith("."));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  if (names.length !== 1) return undefined;
  const path = join(folder, names[0]!);
  return { path, folder: (await stat(path)).isDirectory() };
}

async function makeReadOnly(path: string, folder: boolean): Promise<void> {
  if (!folder) {
    await chmod(path, 0o444);
    return;
  }
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) await chmod(join(entry.parentPath, entry.name), 0o444);
  }
}

/**
 * Copies `source` (what dataset `dataset` just saved: a file or a folder) into the run's artifact
 * folder and returns the records of its files: the catalog path, the sha256 and size of the copy,
 * and where the copy is. The copy is written under a temporary name and renamed into place, so a
 * crash never leaves a partial copy where the registry looks.
 */
export async function keepRunCopy(options: {
  root: string;
  artifactsPath: string;
  runId: string;
  dataset: string;
  source: string;
}): Promise<ArtifactRecord[]> {
  const { root, artifactsPath, runId, dataset, source } = options;
  const folder = (await stat(source)).isDirectory();
  const target = runArtifactFolder(artifactsPath, runId, dataset);
  const partial = join(artifactsPath, ownedFolderName("partial"));
  const entry = join(partial, basename(source));
  try {
    await mkdir(partial, { recursive: true });
    await cp(source, entry, { recursive: true });
    await makeReadOnly(entry, folder);
    // A dataset saved twice in one run (a replayed node) keeps its last save.
    await rm(target, { recursive: true, force: true });
    await mkdir(join(artifactsPath, runId), { recursive: true });
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  const kept = join(target, basename(source));
  const files = folder ? await storedFilesUnder(kept) : [await storedFile(kept)];
  return files.map((file) => ({
    path: projectRelative(root, folder ? join(source, relative(kept, file.path)) : source),
    sha256: file.sha256,
    size: file.size,
    dataset,
    copy: projectRelative(root, file.path),
  }));
}

/** Removes the partial copies that killed runs left in `artifactsPath`; returns how many. */
export function removeAbandonedCopies(artifactsPath: string): Promise<number> {
  return removeAbandonedFolders(artifactsPath, "partial");
}
