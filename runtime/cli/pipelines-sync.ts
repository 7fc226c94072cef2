/**
 * Keeps pipelines/ in step with notebooks/ through the project's `extract` command, run as a child
 * process: the runtime never imports the extractor (data flows one way, and the extractor may be a
 * different version, installed or not).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** What the check found. */
export type SyncOutcome = { kind: "up-to-date"; seconds: number } | { kind: "extracted"; seconds: number; drift: string };

/** `extract` is not installed or failed. */
export class PipelinesSyncError extends Error {
  readonly code = "PIPELINES_SYNC";
  constructor(message: string) {
    super(message);
    this.name = "PipelinesSyncError";
  }
}

function extractBin(root: string): string {
  const bin = join(root, "node_modules", ".bin", process.platform === "win32" ? "extract.cmd" : "extract");
  if (!existsSync(bin)) throw new PipelinesSyncError("The `extract` command is not installed in this project (node_modules/.bin/extract): run `npm install` first.");
  return bin;
}

function run(bin: string, args: string[], root: string, echo: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (echo) process.stdout.write(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (echo) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout, stderr }));
  });
}

/** The lines of `extract --check`'s report that say what differs, without the diff itself. */
function driftSummary(stderr: string): string {
  const lines = stderr.split("\n").filter((l) => l.trim() !== "");
  return lines.slice(-3).join("\n");
}

/** Runs `extract --all --check`; when it reports drift, `extract --all` (echoing its output). */
export async function syncPipelines(root: string): Promise<SyncOutcome> {
  const bin = extractBin(root);
  const started = performance.now();
  const check = await run(bin, ["--all", "--check"], root, false);
  if (check.code === 0) return { kind: "up-to-date", seconds: (performance.now() - started) / 1000 };
  if (check.code !== 1) throw new PipelinesSyncError(`\`extract --all --check\` failed (exit ${check.code}):\n${check.stderr || check.stdout}`);
  const drift = driftSummary(check.stderr);
  const extract = await run(bin, ["--all"], root, true);
  if (extract.code !== 0) throw new PipelinesSyncError(`\`extract --all\` failed (exit ${extract.code}); fix the notebook as the messages above say, then start again.`);
  return { kind: "extracted", seconds: (performance.now() - started) / 1000, drift };
}
