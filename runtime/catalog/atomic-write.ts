/**
 * Atomic writes: data goes to a temporary file or folder under .cellforge/tmp (same file
 * system, outside the data folders) and is renamed into place, so a crash never leaves a
 * half-written dataset where a reader looks.
 */
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { pidExists } from "../process/pid.ts";

/** Temporary paths this process is writing, removed by `removePendingTemporaryFiles` on SIGINT/SIGTERM. */
const pending = new Set<string>();

/** The project's folder for temporary files. */
export function temporaryFolder(root: string): string {
  return join(root, ".cellforge", "tmp");
}

async function deviceOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).dev;
  } catch {
    return undefined;
  }
}

/** A fresh temporary path on the same file system as `target`, so that rename is atomic. */
async function temporaryPathFor(target: string, root: string): Promise<string> {
  const folder = temporaryFolder(root);
  await mkdir(folder, { recursive: true });
  await mkdir(dirname(target), { recursive: true });
  const name = `${process.pid}-${randomBytes(6).toString("hex")}-${basename(target)}`;
  const [tmpDevice, targetDevice] = await Promise.all([deviceOf(folder), deviceOf(dirname(target))]);
  if (tmpDevice !== undefined && tmpDevice === targetDevice) return join(folder, name);
  // Another file system (a mounted data volume): a hidden sibling keeps rename atomic.
  return join(dirname(target), `.cellforge-tmp-${name}`);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Moves `from` onto `target`; a folder target is swapped out first, since rename cannot replace a non-empty folder. */
async function moveIntoPlace(from: string, target: string): Promise<void> {
  if (!(await isDirectory(from)) || !(await isDirectory(target))) {
    await rename(from, target);
    return;
  }
  const old = `${from}.old`;
  pending.add(old);
  try {
    await rename(target, old);
    try {
      await rename(from, target);
    } catch (error) {
      await rename(old, target);
      throw error;
    }
    await rm(old, { recursive: true, force: true });
  } finally {
    pending.delete(old);
  }
}

/**
 * Writes `target` (a file or a folder) atomically: `write` fills a temporary path, which then
 * replaces the target. If `write` throws, the old target is left intact and the temporary path removed.
 */
export async function writeAtomically(
  target: string,
  root: string,
  write: (temporaryPath: string) => Promise<void>,
): Promise<void> {
  const temporary = await temporaryPathFor(target, root);
  pending.add(temporary);
  try {
    await write(temporary);
    await moveIntoPlace(temporary, target);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error;
  } finally {
    pending.delete(temporary);
  }
}

/** Writes one file's bytes durably (fsync) at `path`. */
export async function writeFileSynced(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, "w");
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a whole file atomically. */
export async function writeFileAtomic(target: string, root: string, data: string | Uint8Array): Promise<void> {
  await writeAtomically(target, root, (temporary) => writeFileSynced(temporary, data));
}

/** Counts `path` among this process's temporary files, removed on SIGINT/SIGTERM (and by the next run after a SIGKILL, when it lies in the project's temporary folder). */
export function holdTemporary(path: string): void {
  pending.add(path);
}

/** Stops counting `path` among this process's temporary files (it was removed or moved into place). */
export function forgetTemporary(path: string): void {
  pending.delete(path);
}

/** Removes the temporary files this process is writing; synchronous, for signal handlers. */
export function removePendingTemporaryFiles(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
}

/** Removes temporary files left by processes that died mid-write (SIGKILL, power loss). */
export async function removeStaleTemporaryFiles(root: string): Promise<void> {
  const folder = temporaryFolder(root);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return;
  }
  await Promise.all(
    names.map(async (name) => {
      const pid = Number.parseInt(name.split("-", 1)[0] ?? "", 10);
      if (Number.isInteger(pid) && pid !== process.pid && !pidExists(pid)) {
        await rm(join(folder, name), { recursive: true, force: true });
      }
    }),
  );
}
