// The `extract` command line as users run it: exit codes, messages, determinism, and --all over a project's notebooks/.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { fixture, golden, repoRoot, runCli, scratchDir } from "./fixtures.ts";

const bin = join(repoRoot, "extractor/bin/extract.js");

async function spawnCli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

function readDir(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), "utf8")]));
}

const withoutVersion = (text: string): string => text.replace(/ extractor:[0-9a-f]+\n/, "\n");

describe("extract CLI", () => {
  it("prints usage with --help (exit 0) and on a wrong command line (exit 2)", async () => {
    const help = await spawnCli(["--help"], repoRoot);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: extract <notebook.ipynb>… [--out DIR] [--check]");
    expect(await runCli([])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("extract: give a notebook to extract, or --all.") as unknown,
    });
    expect(await runCli(["--all", "--out", "x"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--out works with one notebook only.") as unknown,
    });
    expect(await runCli(["a.ipynb", "--frobnicate"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--frobnicate'") as unknown,
    });
  });

  it("reads options as every node:util command line does: --out=DIR, `--` before a path, and a dash value refused", async () => {
    const dir = scratchDir();
    const out = join(dir, "out");
    const joined = await spawnCli(
      [fixture("dataflow"), `--out=${out}`, "--catalog", join(dir, "catalog.yml")],
      repoRoot,
    );
    expect(joined.code).toBe(0);
    expect(readdirSync(out)).toContain("pipeline.ts");
    // `--out -x` is almost always a forgotten value: refused rather than writing to a folder called -x.
    expect(await runCli([fixture("dataflow"), "--out", "-x"])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("'--out' argument is ambiguous") as unknown,
    });
    // After `--`, a name that starts with a dash is a notebook path, not an option.
    copyFileSync(fixture("dataflow"), join(dir, "-odd.ipynb"));
    const dashed = await spawnCli(
      ["--out", join(dir, "odd"), "--catalog", join(dir, "catalog.yml"), "--", "-odd.ipynb"],
      dir,
    );
    expect(dashed.stderr).toBe("");
    expect(dashed.code).toBe(0);
    expect(readdirSync(join(dir, "odd"))).toContain("pipeline.ts");
  });

  it("exits 1 naming the file when a notebook cannot be read", async () => {
    const run = await runCli(["notebooks/missing.ipynb"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^extract: \S*notebooks\/missing\.ipynb: cannot be read \(ENOENT/);
  });

  it("exits 1 with every error of a notebook, sorted by cell", async () => {
    const dir = scratchDir();
    const run = await runCli([fixture("errors"), "--out", join(dir, "out"), "--catalog", join(dir, "catalog.yml")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(readFileSync(golden("errors.txt"), "utf8"));
    expect(readdirSync(dir)).toEqual([]);
  });

  it("exits 0 and prints warnings when a notebook only has warnings", async () => {
    const dir = scratchDir();
    const run = await runCli([fixture("warnings"), "--out", join(dir, "out"), "--catalog", join(dir, "catalog.yml")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(readFileSync(golden("warnings.txt"), "utf8"));
    expect(run.stdout).toMatch(
      /warnings\.ipynb → \S+\/out\/: wrote nodes\.ts, parameters\.ts, pipeline\.ts; added warnings\.raw to \S+catalog\.yml/,
    );
  });

  it("writes byte-identical files on every run, and leaves them untouched when rerun", async () => {
    const dir = scratchDir();
    const args = (out: string) => [fixture("pokemon"), "--out", join(dir, out), "--catalog", join(dir, `${out}.yml`)];
    expect((await runCli(args("first"))).code).toBe(0);
    expect((await runCli(args("second"))).code).toBe(0);
    const first = readDir(join(dir, "first"));
    expect(readDir(join(dir, "second"))).toEqual(first);
    expect(readFileSync(join(dir, "second.yml"), "utf8")).toBe(readFileSync(join(dir, "first.yml"), "utf8"));
    // The same text as the reviewed goldens, apart from the extractor version the goldens pin.
    for (const [name, text] of first)
      expect(withoutVersion(text)).toBe(withoutVersion(readFileSync(join(golden("pokemon"), name), "utf8")));
    const rerun = await runCli(args("first"));
    expect(rerun.stdout).toContain("/first/: unchanged");
  });

  it("--all extracts the notebooks under notebooks/ that have directives, and --check --all then passes", async () => {
    const project = scratchDir();
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    mkdirSync(join(project, "notebooks"));
    copyFileSync(fixture("dataflow"), join(project, "notebooks", "words.ipynb"));
    // Its load cell reads these, from the project root.
    mkdirSync(join(project, "tests/fixtures/data"), { recursive: true });
    for (const file of ["notes.txt", "config.json"])
      copyFileSync(join(repoRoot, "tests/fixtures/data", file), join(project, "tests/fixtures/data", file));
    writeFileSync(
      join(project, "notebooks", "scratch.ipynb"),
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: "code", metadata: {}, source: "1 + 1", outputs: [] }],
      }),
    );
    const extract = await spawnCli(["--all"], project);
    expect(extract.stderr).toBe("");
    expect(extract.code).toBe(0);
    expect(extract.stdout).toMatch(
      /^notebooks\/words\.ipynb → pipelines\/words\/: wrote nodes\.ts, parameters\.ts, pipeline\.ts, shared\.ts; added words\.notes, words\.config, words\.top to conf\/base\/catalog\.yml/,
    );
    expect(readdirSync(join(project, "pipelines"))).toEqual(["words"]);
    const check = await spawnCli(["--all", "--check"], project);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^notebooks\/words\.ipynb: up to date \(hashes match, \d+\.\d\d s\)\n$/);
  }, 120_000);

  it("refuses a second notebook of the same file name, whose pipeline would overwrite the first's; a moved one takes its modules along", async () => {
    const project = scratchDir();
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
    mkdirSync(join(project, "notebooks/old"), { recursive: true });
    copyFileSync(fixture("dataflow"), join(project, "notebooks", "words.ipynb"));
    copyFileSync(fixture("dataflow"), join(project, "notebooks/old", "words.ipynb"));
    mkdirSync(join(project, "tests/fixtures/data"), { recursive: true });
    for (const file of ["notes.txt", "config.json"])
      copyFileSync(join(repoRoot, "tests/fixtures/data", file), join(project, "tests/fixtures/data", file));

    const extract = await spawnCli(["--all"], project);
    expect(extract.code).toBe(1);
    const written = /^(notebooks\/(?:old\/)?words\.ipynb) → pipelines\/words\/: wrote/m.exec(extract.stdout)?.[1];
    const refused = written === "notebooks/words.ipynb" ? "notebooks/old/words.ipynb" : "notebooks/words.ipynb";
    expect(extract.stderr).toBe(
      `extract: ${refused} would write pipelines/words/, which holds the modules of ${written}: a pipeline is named after its notebook's file, so rename one of the two notebooks (or extract this one elsewhere with --out).\n`,
    );
    const pipeline = readFileSync(join(project, "pipelines/words/pipeline.ts"), "utf8");
    expect(pipeline).toContain(`Generated by \`extract\` from ${written}:`);

    // The notebook that wrote them moves away: the other one may take the pipeline over.
    rmSync(join(project, written!));
    const moved = await spawnCli([refused], project);
    expect(moved.code, moved.stderr).toBe(0);
    expect(readFileSync(join(project, "pipelines/words/pipeline.ts"), "utf8")).toContain(`from ${refused}:`);
  }, 120_000);
});
