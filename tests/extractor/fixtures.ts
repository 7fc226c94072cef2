// Paths and helpers the extractor tests share: fixture notebooks, golden folders, scratch folders, notebooks written
// from a few cells, generated modules imported to run, an in-process CLI run.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";
import type { GeneratedFile } from "../../extractor/codegen/generate.ts";
import { main } from "../../extractor/cli/main.ts";
import type { Pipeline } from "../../runtime/pipeline/definition.ts";

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

/** A cell of a notebook a test writes: its type, its tags and other metadata, its source. */
export interface TestCell {
  cell_type: "code" | "markdown";
  metadata: Record<string, unknown>;
  source: string;
}

/** Writes a notebook of `cells` as `name`.ipynb in a fresh scratch folder; returns its path. */
export function notebookFile(name: string, cells: readonly TestCell[]): string {
  const path = join(scratchDir(), `${name}.ipynb`);
  writeFileSync(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells }));
  return path;
}

/** Writes the generated `files` into `out` and imports the pipeline they define, to run it. */
export async function importGenerated(files: readonly GeneratedFile[], out: string): Promise<Pipeline> {
  mkdirSync(out, { recursive: true });
  for (const file of files) writeFileSync(join(out, file.name), file.text);
  return ((await import(join(out, "pipeline.ts"))) as { default: Pipeline }).default;
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
