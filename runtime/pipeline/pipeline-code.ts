/**
 * The code a process runs: Node imports a module once per process, so loadPipeline takes this
 * digest of pipelines/<name>/ at each import, and imports the folder again (under a namespace of its
 * own) when a server's reload finds it changed on disk since.
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
