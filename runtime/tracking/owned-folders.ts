/**
 * Temporary folders named after the process that writes them (`.PREFIX-h<host>-<pid>-<start>-<random>`),
 * so that a later process can tell a folder left by a killed one (its owner is gone) from one
 * still being written, and remove only the former. The host is in the name because a shared
 * artifact root is written by processes on several machines: one on another host is never taken
 * for dead.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { currentProcess, isProcessAlive } from "./process-identity.ts";

/** A short digest of a host name, to put in folder names (a host name may hold dashes and dots). */
function hostTag(host: string): string {
  return createHash("sha256").update(host).digest("hex").slice(0, 8);
}

/** A fresh name `.PREFIX-h<host>-<pid>-<start>-<random>` owned by this process. */
export function ownedFolderName(prefix: string): string {
  const me = currentProcess();
  return `.${prefix}-h${hostTag(me.host)}-${me.pid}-${me.start ?? "0"}-${randomBytes(6).toString("hex")}`;
}

/**
 * Removes the `.PREFIX-…` folders of `parent` whose process is gone; returns how many. Folders of
 * another host are kept (whether their process lives cannot be told from here); names without a
 * host or a start time (older ones) go by this host's pid alone.
 */
export async function removeAbandonedFolders(parent: string, prefix: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return 0;
  }
  const pattern = new RegExp(`^\\.${prefix}-(?:h([0-9a-f]{8})-)?(\\d+)-(?:(\\d+)-)?[0-9a-f]+$`);
  const here = hostTag(hostname());
  let removed = 0;
  for (const name of names) {
    const match = pattern.exec(name);
    if (match === null) continue;
    if (match[1] !== undefined && match[1] !== here) continue;
    const start = match[3] === undefined || match[3] === "0" ? undefined : match[3];
    if (isProcessAlive({ pid: Number(match[2]), host: hostname(), start }) !== false) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
