/**
 * Atomic writes: data goes to a temporary file or folder under .cellforge/tmp (same file
 * system, outside the data folders) and is renamed into place, so a crash never leaves a
 * half-written dataset where a reader looks.
 *
 * A file is replaced in one rename. A folder cannot be (rename will not replace a non-empty
 * folder), so it is moved aside first, which leaves a moment with no folder at its path, and a
 * reader going through its files one by one can meet two saves. `readFolderWhole` is how a folder
 * is read while other processes may replace it.
 */
import { randomBytes } from "node:crypto";
import { existsSync, renameSync, rmSync } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { basename, dirname, join } from "node:path";
import { pidExists } from "../process/pid.ts";

/** Temporary paths this process is writing, removed by `removePendingTemporaryFiles` on SIGINT/SIGTERM. */
const pending = new Set<string>();

/** Folders this process has moved aside to replace them (aside → target), put back by `removePendingTemporaryFiles` if the new one is not in place. */
const replacing = new Map<string, string>();

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

/** The start of the name a folder is moved aside to while it is replaced: a hidden sibling, so that its readers can find it. */
function asidePrefix(target: string): string {
  return `.${basename(target)}.cellforge-replaced-`;
}

/** Moves `from` onto `target`; a folder target is moved aside first, since rename cannot replace a non-empty folder. */
async function moveIntoPlace(from: string, target: string): Promise<void> {
  if (!(await isDirectory(from)) || !(await isDirectory(target))) {
    await rename(from, target);
    return;
  }
  // Beside the target and named after this process: until it is removed, a reader that finds no folder knows a
  // live process is putting the new one in place (readFolderWhole).
  const aside = join(dirname(target), `${asidePrefix(target)}${process.pid}-${randomBytes(6).toString("hex")}`);
  replacing.set(aside, target);
  try {
    await rename(target, aside);
    try {
      await rename(from, target);
    } catch (error) {
      await rename(aside, target);
      throw error;
    }
    await rm(aside, { recursive: true, force: true });
  } finally {
    replacing.delete(aside);
  }
  // What a process killed (SIGKILL) between its two renames left aside is an old save, replaced now.
  for (const left of (await lookBeside(target)).aside)
    if (!left.live) await rm(left.path, { recursive: true, force: true });
}

/**
 * The folder's parent, listed in one look: whether the folder is there, and the folders moved aside to replace it
 * (each with whether the process replacing it is alive). One listing sees both at one moment: a folder missing
 * with no live replacement beside it is not one between the two renames of a replacement.
 */
async function lookBeside(path: string): Promise<{ present: boolean; aside: { path: string; live: boolean }[] }> {
  const name = basename(path);
  const prefix = asidePrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return { present: false, aside: [] };
  }
  const aside = names
    .filter((entry) => entry.startsWith(prefix))
    .map((entry) => {
      const pid = Number.parseInt(entry.slice(prefix.length), 10);
      // A folder left aside by a process that died between its two renames is no replacement to wait for.
      const live = Number.isInteger(pid) && (pid === process.pid || pidExists(pid));
      return { path: join(dirname(path), entry), live };
    });
  return { present: names.includes(name), aside };
}

/**
 * What identifies the folder at `path`, undefined when there is none: a folder renamed there (a replacement) has
 * another inode, or at least, if it reuses the inode of a folder removed meanwhile, another ctime.
 */
async function folderIdentity(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path, { bigint: true });
    return `${info.dev}:${info.ino}:${info.ctimeNs}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** How long a reader keeps retrying a folder that other processes keep replacing. */
const WHOLE_READ_PATIENCE_MS = 60_000;

/**
 * Runs `read` over the folder at `path` (its files read one by one) as if the folder could not change meanwhile,
 * although other processes may replace it (`writeAtomically`; saves never change a folder in place): `read` is run
 * again when the folder was replaced while it ran, since it may have read files of two saves or found them gone,
 * and while a replacement has moved the folder aside, the reader waits for the new one. Undefined when there is
 * no folder at `path` (and no replacement under way).
 */
export async function readFolderWhole<T>(path: string, read: () => Promise<T>): Promise<{ value: T } | undefined> {
  const patience = Date.now() + WHOLE_READ_PATIENCE_MS;
  for (let pause = 1; ; pause = Math.min(pause * 2, 50)) {
    const before = await folderIdentity(path);
    if (before === undefined) {
      const beside = await lookBeside(path);
      if (Date.now() >= patience) return undefined;
      // Put in place since the stat: read it.
      if (beside.present) continue;
      if (!beside.aside.some((aside) => aside.live)) return undefined;
    } else {
      let value: T;
      try {
        value = await read();
      } catch (error) {
        if ((await folderIdentity(path)) === before || Date.now() >= patience) throw error;
        continue;
      }
      if ((await folderIdentity(path)) === before || Date.now() >= patience) return { value };
      // It may mix two saves: dropped, with what it holds (a TF.js model's weights).
      const disposable = value as { dispose?: unknown } | null;
      if (typeof disposable?.dispose === "function") (disposable as { dispose(): void }).dispose();
      continue;
    }
    await sleep(pause);
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

/** Removes the temporary files this process is writing, and puts back a folder it moved aside if its replacement is not in place; synchronous, for signal handlers. */
export function removePendingTemporaryFiles(): void {
  for (const path of pending) rmSync(path, { recursive: true, force: true });
  pending.clear();
  for (const [aside, target] of replacing) {
    if (existsSync(target)) rmSync(aside, { recursive: true, force: true });
    else if (existsSync(aside)) renameSync(aside, target);
  }
  replacing.clear();
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
