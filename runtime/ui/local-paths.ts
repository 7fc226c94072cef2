/**
 * Keeps the machine's absolute paths out of what the web UI shows: an error from importing a
 * pipeline (Node names the files it could not resolve) would otherwise tell any visitor where the
 * project lives and whose home folder it is in.
 */
import { sep } from "node:path";
import { pathToFileURL } from "node:url";

/** An absolute POSIX path or file: URL of at least two folders, up to its last segment. */
const ABSOLUTE_PATH = /(?:file:\/\/)?\/(?:[\w.@+~-]+\/){2,}([\w.@+~-]*)/g;

/** `message` with paths inside `root` made relative to it, and any other absolute path cut to its last segment. */
export function withoutLocalPaths(message: string, root: string): string {
  const prefix = root.endsWith(sep) ? root : `${root}${sep}`;
  const url = pathToFileURL(prefix).href;
  return message
    .split(url)
    .join("")
    .split(prefix)
    .join("")
    .replace(ABSOLUTE_PATH, (_path, last: string) => `…/${last}`);
}
