// Writes a whole file atomically and durably: a uniquely named sibling temp file, fsynced, renamed over the target;
// a reader sees the old file or the new one, never half of one, and a failed write leaves nothing behind.
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** A temp path beside `path` (same folder, so same file system and an atomic rename), unique per call. */
function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}-${randomBytes(6).toString("hex")}.tmp`);
}

/** Flushes a folder's entry list, so that a rename into it survives a power loss (best effort: not every OS can). */
async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
    // Windows cannot open or fsync a folder; the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to `path` atomically (creating its folder); concurrent writes to one path each land whole. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPathFor(path);
  try {
    const handle = await open(temporary, "wx");
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}
