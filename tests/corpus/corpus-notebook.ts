/**
 * Drives one notebook of tests/fixtures/notebooks/corpus/ the way a user would: runs it on the real tslab kernel
 * (through Jupyter's nbconvert with the registered kernelspec when `jupyter` is installed, else `cellforge nb run`),
 * extracts it into a throw-away project, type-checks and lints the result, runs the pipeline and serves the model.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ESLint } from "eslint";
import { parseNotebookDocument, type NotebookDocument } from "@cellforge/contract";
import { installKernelspec, projectKernel } from "../../runtime/kernel/kernelspec.ts";
import { typeCheck } from "../extractor/typecheck.ts";
import { repoRoot } from "../runtime/kernel/support.ts";

const run = promisify(execFile);

/** The corpus notebooks' folder, relative to the repository. */
export const CORPUS = "tests/fixtures/notebooks/corpus";

/** CELLFORGE_SKIP_E2E=1 skips the corpus on a developer's machine, as it does the other end-to-end tests. */
export const skipCorpus = process.env["CELLFORGE_SKIP_E2E"] === "1";

/** Whether Jupyter's nbconvert is installed (CI installs jupyter-nbconvert). */
export const hasJupyter = spawnSync("sh", ["-c", "command -v jupyter"]).status === 0;

/** What a command printed and its exit code. */
export interface Outcome {
  stdout: string;
  stderr: string;
  code: number;
}

async function command(bin: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(bin, args, {
      cwd,
      env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm", NO_COLOR: "1", ...env },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    return {
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? "",
      code: typeof failed.code === "number" ? failed.code : 1,
    };
  }
}

/** A throw-away project holding one corpus notebook, the raw data, and the repository's node_modules. */
export class CorpusProject {
  readonly root = mkdtempSync(join(tmpdir(), "cellforge-corpus-"));
  private readonly servers: ChildProcess[] = [];

  constructor(readonly name: string) {
    writeFileSync(join(this.root, "package.json"), `{ "name": "corpus-${name}", "private": true, "type": "module" }\n`);
    symlinkSync(join(repoRoot, "node_modules"), join(this.root, "node_modules"), "dir");
    mkdirSync(join(this.root, "notebooks"));
    cpSync(join(repoRoot, CORPUS, `${name}.ipynb`), join(this.root, "notebooks", `${name}.ipynb`));
    cpSync(join(repoRoot, "data/01_raw"), join(this.root, "data/01_raw"), { recursive: true });
  }

  /** The notebook's path in the project. */
  get notebook(): string {
    return `notebooks/${this.name}.ipynb`;
  }

  /** Runs the project's `cellforge` bin. */
  cellforge(args: string[]): Promise<Outcome> {
    return command(join(this.root, "node_modules/.bin/cellforge"), args, this.root);
  }

  /** Runs the project's `extract` bin. */
  extract(args: string[] = [this.notebook]): Promise<Outcome> {
    return command(join(this.root, "node_modules/.bin/extract"), args, this.root);
  }

  /** Runs the notebook on the real tslab kernel and returns the executed notebook; throws with the output when a cell fails. */
  async runInKernel(): Promise<NotebookDocument> {
    const out = join(this.root, `${this.name}.executed.ipynb`);
    if (hasJupyter) {
      const dataDir = join(this.root, ".jupyter");
      await installKernelspec({ dataDir });
      const result = await command(
        "jupyter",
        [
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          join(this.root, this.notebook),
          `--ExecutePreprocessor.kernel_name=${projectKernel(repoRoot).name}`,
          "--output-dir",
          this.root,
          "--output",
          `${this.name}.executed.ipynb`,
        ],
        this.root,
        { JUPYTER_DATA_DIR: dataDir, JUPYTER_RUNTIME_DIR: join(this.root, ".jupyter-runtime") },
      );
      if (result.code !== 0) throw new Error(`nbconvert failed on ${this.notebook}:\n${result.stderr}`);
    } else {
      const result = await this.cellforge(["nb", "run", this.notebook, "-o", out]);
      if (result.code !== 0) throw new Error(`cellforge nb run failed on ${this.notebook}:\n${result.stderr}`);
    }
    return parseNotebookDocument(readFileSync(out, "utf8"), out);
  }

  /** The generated files of the pipeline, by name. */
  generated(): Record<string, string> {
    const folder = join(this.root, "pipelines", this.name);
    return Object.fromEntries(readdirSync(folder).map((file) => [file, readFileSync(join(folder, file), "utf8")]));
  }

  /** Type diagnostics of the generated modules under the repository's tsconfig ("" when clean). */
  typeCheck(): string {
    const folder = join(this.root, "pipelines", this.name);
    return typeCheck(readdirSync(folder).map((file) => join(folder, file)));
  }

  /** Starts `cellforge serve REF` on a free port; resolves with its base URL once it serves, or rejects with its output. */
  serve(ref: string): Promise<string> {
    const child = spawn(join(this.root, "node_modules/.bin/cellforge"), ["serve", ref, "--port", "0"], {
      cwd: this.root,
      env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.servers.push(child);
    let output = "";
    return new Promise((resolve, reject) => {
      const seen = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /serving \S+ at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1] !== undefined) resolve(match[1]);
      };
      child.stdout.on("data", seen);
      child.stderr.on("data", seen);
      child.once("exit", (code) => reject(new Error(`cellforge serve ${ref} exited ${code}:\n${output}`)));
    });
  }

  /** Stops the servers it started and removes the project. */
  async remove(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      ),
    );
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** POSTs one record to `/predict` and returns the answer. */
export async function predictOne(url: string, record: unknown): Promise<unknown> {
  const response = await fetch(`${url}/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(record),
  });
  if (!response.ok) throw new Error(`POST /predict answered ${response.status}: ${await response.text()}`);
  return response.json();
}

let linter: ESLint | undefined;

/** The repository's ESLint (its config and the cellforge plugin) on the notebook, as if it were notebooks/NAME.ipynb. */
export async function lintNotebook(name: string): Promise<string[]> {
  linter ??= new ESLint({ cwd: repoRoot });
  const filePath = join(repoRoot, "notebooks", `corpus-${name}.ipynb`);
  if (await linter.isPathIgnored(filePath)) throw new Error(`ESLint ignores ${filePath}`);
  const [result] = await linter.lintText(readFileSync(join(repoRoot, CORPUS, `${name}.ipynb`), "utf8"), { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? "parse"} line ${m.line}: ${m.message}`);
}
