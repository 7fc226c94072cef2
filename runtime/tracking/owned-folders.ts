/**
 * Temporary folders named after the process that writes them (`.PREFIX-<pid>-<start>-<random>`),
 * so that a later process can tell a folder left by a killed one (its owner is gone) from one
 * still being written, and remove only the former.
 */
import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { currentProcess, isProcessAlive } from "./process-identity.ts";

/** A fresh name `.PREFIX-<pid>-<start>-<random>` owned by this process. */
export function ownedFolderName(prefix: string): string {
  const me = currentProcess();
  return `.${prefix}-${me.pid}-${me.start ?? "0"}-${randomBytes(6).toString("hex")}`;
}

/** Removes the `.PREFIX-…` folders of `parent` whose process is gone; returns how many. Names without a start time (older ones) go by pid alone. */
export async function removeAbandonedFolders(parent: string, prefix: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return 0;
  }
  const pattern = new RegExp(`^\\.${prefix}-(\\d+)-(?:(\\d+)-)?[0-9a-f]+$`);
  let removed = 0;
  for (const name of names) {
    const match = pattern.exec(name);
    if (match === null) continue;
    const start = match[2] === undefined || match[2] === "0" ? undefined : match[2];
    if (isProcessAlive({ pid: Number(match[1]), host: hostname(), start }) !== false) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
