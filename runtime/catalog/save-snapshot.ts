/**
 * What a run saved, as it saved it: a hard-linked copy of a dataset's freshly written files, taken
 * before they replace the catalog path. Later nodes of the same run load from it, so another run
 * saving the same path in between never hands them its data, nor a folder caught mid-swap.
 * Hard links cost no copy: saves never rewrite a file in place (they rename new files over old ones).
 */
import { copyFile, link, mkdir, readdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { forgetTemporary, holdTemporary } from "./atomic-write.ts";

async function linkTree(source: string, target: string): Promise<void> {
  if ((await stat(source)).isDirectory()) {
    await mkdir(target);
    for (const name of await readdir(source)) await linkTree(join(source, name), join(target, name));
    return;
  }
  try {
    await link(source, target);
  } catch {
    // A file system without hard links: a plain copy keeps the snapshot right, only slower.
    await copyFile(source, target);
  }
}

/** Snapshots `written` (a file or folder about to be renamed into place) beside it; returns the snapshot's path. */
export async function snapshotSave(written: string): Promise<string> {
  const snapshot = `${written}.saved`;
  holdTemporary(snapshot);
  try {
    await linkTree(written, snapshot);
  } catch (error) {
    await dropSnapshot(snapshot);
    throw error;
  }
  return snapshot;
}

/** Removes a snapshot (the run is done with it). */
export async function dropSnapshot(snapshot: string): Promise<void> {
  await rm(snapshot, { recursive: true, force: true });
  forgetTemporary(snapshot);
}
