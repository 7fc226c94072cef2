/**
 * Lays out a throw-away cellforge project in a temp folder for the runtime tests: the fixture
 * project (conf/, data/), chosen fixture pipelines, and node_modules linked to the repository's.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = join(repo, "tests/fixtures");

/** The real `cellforge` bin of the repository. */
export const cellforgeBin = join(repo, "node_modules/.bin/cellforge");

/** What a finished command printed, and its exit code. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  code: number;
}

function runCommand(
  bin: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeout: number,
): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(bin, args, { cwd, env, timeout }, (error, stdout, stderr) => {
      done({ stdout, stderr, code: error === null ? 0 : typeof error.code === "number" ? error.code : 1 });
    });
  });
}

/** Runs a project's own `extract` bin (node_modules/.bin/extract), as `npx extract` would; extraction takes minutes on a loaded 2-core machine. */
export function runExtract(root: string, args: string[]): Promise<CommandResult> {
  return runCommand(join(root, "node_modules/.bin/extract"), args, root, process.env, 180_000);
}

/** A temporary project. */
export interface FixtureProject {
  root: string;
  /** Writes a file relative to the project root. */
  write(path: string, text: string): void;
  /** Runs the real CLI in the project; resolves with its output and exit code. */
  cli(args: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** Starts the real CLI without waiting for it. */
  spawn(args: string[]): ChildProcess;
  remove(): void;
}

/** A copy of the repository's own example project (notebook, extracted pipeline, catalog, raw data), to run without touching the repo. */
export function copyExampleProject(): FixtureProject {
  const project = createProject([]);
  rmSync(join(project.root, "conf"), { recursive: true });
  rmSync(join(project.root, "data"), { recursive: true });
  for (const path of ["conf/base/catalog.yml", "data/01_raw/pokemon.csv", "notebooks/train.ipynb", "pipelines/train"]) {
    cpSync(join(repo, path), join(project.root, path), { recursive: true });
  }
  return project;
}

/** Creates a project with the fixture conf/ and data/ and the named fixture pipelines. */
export function createProject(pipelines: readonly string[]): FixtureProject {
  const root = mkdtempSync(join(tmpdir(), "cellforge-project-"));
  cpSync(join(fixtures, "project"), root, { recursive: true });
  symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
  for (const name of pipelines)
    cpSync(join(fixtures, "pipelines", name), join(root, "pipelines", name), { recursive: true });
  const env = { ...process.env, CELLFORGE_TF_BACKEND: "wasm", NO_COLOR: "1" };
  return {
    root,
    write(path, text) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    },
    cli(args, extraEnv = {}) {
      return runCommand(cellforgeBin, args, root, { ...env, ...extraEnv }, 120_000);
    },
    spawn(args) {
      return spawn(cellforgeBin, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}
