// A throwaway git repository set up like this project (its package.json, ESLint, lint-staged and TypeScript configs,
// and node_modules linked), with the pre-commit hook installed by simple-git-hooks: where the hook is tested and
// timed without touching this repository's .git.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The files that make the temporary repository behave like the project. */
const PROJECT_FILES = [
  "package.json",
  "eslint.config.js",
  "eslint.hook.config.js",
  "lint-staged.config.js",
  "tsconfig.json",
];

/** A command's exit status and its stdout and stderr together. */
export interface CommandResult {
  status: number | null;
  output: string;
}

/** A temporary repository; `remove()` deletes it. */
export interface TempRepository {
  dir: string;
  run(command: string, args: readonly string[]): CommandResult;
  write(path: string, content: string): void;
  /** Stages `paths` and commits them through the pre-commit hook. */
  commit(paths: readonly string[], message: string): CommandResult;
  remove(): void;
}

/** The environment without the variables that would skip the hook or its installation. */
function hookEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env["SKIP_SIMPLE_GIT_HOOKS"];
  delete env["SKIP_INSTALL_SIMPLE_GIT_HOOKS"];
  // vitest sets NODE_ENV=test, which makes lint-staged print JSON events instead of what a user sees.
  delete env["NODE_ENV"];
  for (const name of Object.keys(env)) if (name.startsWith("VITEST")) delete env[name];
  return {
    ...env,
    GIT_AUTHOR_NAME: "cellforge test",
    GIT_AUTHOR_EMAIL: "test@cellforge.invalid",
    GIT_COMMITTER_NAME: "cellforge test",
    GIT_COMMITTER_EMAIL: "test@cellforge.invalid",
  };
}

/** Creates the repository, commits the project files and installs the hook as `npm install`'s `prepare` does. */
export function createTempRepository(): TempRepository {
  const dir = mkdtempSync(join(tmpdir(), "cellforge-hook-"));
  const env = hookEnvironment();
  const run = (command: string, args: readonly string[]): CommandResult => {
    const result = spawnSync(command, args, { cwd: dir, env, encoding: "utf8" });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  for (const file of PROJECT_FILES) copyFileSync(join(ROOT, file), join(dir, file));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  write(".gitignore", "node_modules\n");
  const must = (result: CommandResult): void => {
    if (result.status !== 0) throw new Error(result.output);
  };
  must(run("git", ["init", "-q", "-b", "main"]));
  must(run("git", ["config", "commit.gpgsign", "false"]));
  must(run("git", ["add", ".gitignore", ...PROJECT_FILES]));
  must(run("git", ["commit", "-q", "--no-verify", "-m", "Set up the project"]));
  must(run(join(dir, "node_modules", ".bin", "simple-git-hooks"), []));
  return {
    dir,
    run,
    write,
    commit(paths, message) {
      const added = run("git", ["add", ...paths]);
      if (added.status !== 0) return added;
      return run("git", ["commit", "-m", message]);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One cell of a notebook file: markdown, or code with optional tags. */
export type NotebookFileCell = { markdown: string } | { code: string; tags?: string[] };

/** A notebook as Jupyter saves it (nbformat 4.5, one-space indent, one string per source line). */
export function notebookFile(cells: readonly NotebookFileCell[]): string {
  const lines = (text: string): string[] => text.split(/(?<=\n)/);
  const json = {
    cells: cells.map((cell, index) =>
      "markdown" in cell
        ? { cell_type: "markdown", id: `cell-${index + 1}`, metadata: {}, source: lines(cell.markdown) }
        : {
            cell_type: "code",
            execution_count: null,
            id: `cell-${index + 1}`,
            metadata: cell.tags === undefined ? {} : { tags: cell.tags },
            outputs: [],
            source: lines(cell.code),
          },
    ),
    metadata: {
      kernelspec: { display_name: "TypeScript", language: "typescript", name: "tslab" },
      language_info: { file_extension: ".ts", mimetype: "text/typescript", name: "typescript", version: "5.0.4" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return `${JSON.stringify(json, null, 1)}\n`;
}
