/** Content hashes of stored datasets: sha256 of a file, or of a folder's files. */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import type { StoredFile } from "./dataset.ts";

/** sha256 (hex) of a file's content, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** sha256 (hex) of bytes or text. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Every file under `folder` (recursively, sorted by path) with its hash and size. */
export async function storedFilesUnder(folder: string): Promise<StoredFile[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const paths = entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return Promise.all(paths.map(storedFile));
}

// Hashes by path, inode, size and modification time: a run asks for the same file's digest several times.
const cache = new Map<string, { ino: number; size: number; mtimeMs: number; sha256: string }>();

/** One file with its hash and size. */
export async function storedFile(path: string): Promise<StoredFile> {
  const info = await stat(path);
  const cached = cache.get(path);
  if (cached !== undefined && cached.ino === info.ino && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
    return { path, sha256: cached.sha256, size: info.size };
  }
  const hash = await sha256File(path);
  cache.set(path, { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, sha256: hash });
  return { path, sha256: hash, size: info.size };
}

/** One digest for a set of files: their own digest for one file, else sha256 over "relative path, hash" lines. */
export function combinedDigest(files: readonly StoredFile[], base: string): string | undefined {
  if (files.length === 0) return undefined;
  if (files.length === 1) return files[0]!.sha256;
  const lines = files.map((f) => `${relative(base, f.path).split("\\").join("/")}\0${f.sha256}\n`);
  return sha256(lines.join(""));
}
