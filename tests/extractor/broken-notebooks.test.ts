// A project whose notebooks/ holds one broken notebook beside a good one: `extract --all` and
// `--check` report the broken one in one line and handle the others, as a user expects.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExtract } from "../runtime/fixture-project.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const fixtures = join(repo, "tests/fixtures/notebooks/second");

const STACK_LINE = /^\s+at .+[:(]/m;

describe("extract on a project with a broken notebook", () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "cellforge-broken-"));
    for (const dir of ["notebooks", "data/01_raw"]) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(
      join(root, "package.json"),
      JSON.stringify({ name: "broken-notebooks", private: true, type: "module" }),
    );
    copyFileSync(join(repo, "tsconfig.json"), join(root, "tsconfig.json"));
    copyFileSync(join(repo, "data/01_raw/pokemon.csv"), join(root, "data/01_raw/pokemon.csv"));
    symlinkSync(join(repo, "node_modules"), join(root, "node_modules"), "dir");
    copyFileSync(join(fixtures, "second.ipynb"), join(root, "notebooks/second.ipynb"));
    copyFileSync(join(fixtures, "truncated.ipynb"), join(root, "notebooks/truncated.ipynb"));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("`extract --all` reports the truncated notebook in one line, skips it and extracts the other", async () => {
    const { stdout, stderr, code } = await runExtract(root, ["--all"]);
    expect(stderr).not.toMatch(STACK_LINE);
    const lines = stderr.split("\n").filter((line) => line.includes("truncated.ipynb"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^notebooks\/truncated\.ipynb: is not valid JSON .*skipped/);
    expect(stdout).toContain("notebooks/second.ipynb → pipelines/second/");
    expect(readFileSync(join(root, "pipelines/second/pipeline.ts"), "utf8")).toContain('name: "second"');
    expect(code).toBe(1);
  });

  it("`extract --all --check` says the good one is up to date, reports the broken one once and exits non-zero", async () => {
    const { stdout, stderr, code } = await runExtract(root, ["--all", "--check"]);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stdout).toContain("notebooks/second.ipynb: up to date");
    expect(stderr.split("\n").filter((line) => line.includes("truncated.ipynb"))).toHaveLength(1);
    expect(stderr).not.toContain("run `npx extract");
    expect(code).toBe(1);
  });

  it("`extract --check` on a notebook with a syntax error reports the extraction error, not drift", async () => {
    const path = join(root, "notebooks/second.ipynb");
    const good = readFileSync(path, "utf8");
    writeFileSync(path, good.replace("const featureSpec = {", "const featureSpec = {{"));
    const { stdout, stderr, code } = await runExtract(root, ["--check", "notebooks/second.ipynb"]);
    writeFileSync(path, good);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr).toMatch(/^error: .*notebooks\/second\.ipynb/m);
    expect(stderr).toContain("notebooks/second.ipynb does not extract");
    expect(`${stdout}${stderr}`).not.toContain("do not match the notebook");
    expect(`${stdout}${stderr}`).not.toContain("run `npx extract");
  });
});
