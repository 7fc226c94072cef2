/** Shared by the kernel tests: fixture paths, a private temp root per test file, leftover-kernel checks, the CLI. */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const fixture = (name: string): string => join(repoRoot, "tests/fixtures/notebooks", name);

/** A temp folder for one test file; kernels started by its tests have it in their command line. */
export function tempRoot(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), "cellforge-kernel-test-"));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * The command lines of live tslab kernels whose connection file lies under `root`. Scoped to this test
 * file's folder, so kernels of other test files or other people's sessions on the machine don't count.
 */
export function kernelsUnder(root: string): string[] {
  try {
    return execFileSync("pgrep", ["-af", `tslab.* --config-path ${root}`], { encoding: "utf8" })
      .trim()
      .split("\n");
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** What a CLI run printed and how it ended. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `cellforge ARGS` from the repo root; `onStderr` may act on progress (e.g. send a signal). */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; onStderr?(text: string, pid: number): void } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "runtime/bin/cellforge.js"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (child.pid !== undefined) options.onStderr?.(stderr, child.pid);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}
