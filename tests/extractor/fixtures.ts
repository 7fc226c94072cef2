// Paths and helpers the extractor tests share: fixture notebooks, golden folders, scratch folders, an in-process CLI run.
import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";
import { main } from "../../extractor/cli/main.ts";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The extractor version written into golden headers. Pinned, so that editing the extractor does not churn every
 * golden file: the goldens pin the output, and the header's real hash is tested on its own.
 */
export const GOLDEN_VERSION = "0000000000000000";

/** The fixture notebook `name`.ipynb. */
export function fixture(name: string): string {
  return join(repoRoot, "tests/fixtures/notebooks/extractor", `${name}.ipynb`);
}

/** The golden folder of fixture `name`, or a golden file at the top of tests/fixtures/golden. */
export function golden(name: string): string {
  return join(repoRoot, "tests/fixtures/golden", name);
}

/** A fresh scratch folder inside the repository (git-ignored .tmp/), so package imports resolve from it. */
export function scratchDir(): string {
  const base = join(repoRoot, ".tmp", "extractor-tests");
  mkdirSync(base, { recursive: true });
  return mkdtempSync(join(base, "run-"));
}

/** What an in-process CLI run printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the `extract` CLI in this process (sharing its ts-morph project), capturing what it prints. */
export async function runCli(argv: string[]): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((...args: unknown[]) => void (stdout += `${args.join(" ")}\n`));
  const error = vi
    .spyOn(console, "error")
    .mockImplementation((...args: unknown[]) => void (stderr += `${args.join(" ")}\n`));
  const warn = vi
    .spyOn(console, "warn")
    .mockImplementation((...args: unknown[]) => void (stderr += `${args.join(" ")}\n`));
  const write = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    log.mockRestore();
    error.mockRestore();
    warn.mockRestore();
    write.mockRestore();
  }
}
