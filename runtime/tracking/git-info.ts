/** The git commit a run starts from, and whether the working tree had uncommitted changes. */
import { execFileSync } from "node:child_process";

/** Commit and dirty flag of the repository holding `root`, or undefined outside git. */
export function gitInfo(root: string): { commit: string; dirty: boolean } | undefined {
  const git = (...args: string[]): string =>
    execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    }).trim();
  try {
    const commit = git("rev-parse", "HEAD");
    const dirty = git("status", "--porcelain", "--untracked-files=no").length > 0;
    return { commit, dirty };
  } catch {
    return undefined;
  }
}
