/**
 * The code a process runs: Node imports a module once per process, so a long-lived process (a
 * server) keeps the pipeline code it imported first, whatever is on disk later. loadPipeline takes
 * this digest of pipelines/<name>/ at that first import; a server's reload compares it with the
 * folder now, so that it never serves a new version's weights with code older than the version's.
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
  for (const file of files)
    hash
      .update(`${file.slice(folder.length)}\0`)
      .update(readFileSync(file))
      .update("\0");
  return hash.digest("hex");
}
