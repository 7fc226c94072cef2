/**
 * The code a server runs: Node imports a module once per process, so a running server keeps the
 * pipeline code it loaded first, whatever is on disk later. A reload compares this digest of
 * pipelines/<name>/ with the one taken when the server loaded the pipeline, so that it never serves
 * a new version's weights with code older than the version's.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** sha256 over the files under pipelines/<name>/: their paths and bytes, in path order (no files when the folder is gone). */
export function pipelineCodeDigest(root: string, name: string): string {
  const folder = join(root, "pipelines", name);
  const hash = createHash("sha256");
  if (!existsSync(folder)) return hash.digest("hex");
  const files = readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(`${file.slice(folder.length)}\0`).update(readFileSync(file)).update("\0");
  return hash.digest("hex");
}
