// A second notebook beside train.ipynb, as a data scientist adds one: `cellforge run` never runs
// code older than the notebook, and the two pipelines' datasets never touch each other's files.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExampleProject, runExtract, type FixtureProject } from "../fixture-project.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const secondNotebook = join(repo, "tests/fixtures/notebooks/second/second.ipynb");

// Each `cellforge run` after an edit extracts (ts-morph) before it runs: minutes on a loaded 2-core CI machine.
describe("a second notebook in the example project", { timeout: 240_000 }, () => {
  let project: FixtureProject;
  let notebook: string;
  const edit = (from: string, to: string): void => {
    const text = readFileSync(notebook, "utf8");
    expect(text).toContain(from);
    writeFileSync(notebook, text.replace(from, to));
  };

  beforeAll(async () => {
    project = copyExampleProject();
    notebook = join(project.root, "notebooks/second.ipynb");
    copyFileSync(secondNotebook, notebook);
    const extracted = await runExtract(project.root, ["notebooks/second.ipynb"]);
    expect(extracted.stderr).toBe("");
    expect(extracted.code).toBe(0);
  }, 120_000);
  afterAll(() => project.remove());

  it("gets catalog entries of its own: `second.featureSpec` under data/…/second/, train's untouched", () => {
    const catalog = parse(readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8")) as Record<
      string,
      { path: string }
    >;
    expect(catalog["second.featureSpec"]?.path).toBe("data/08_reporting/second/featureSpec.json");
    expect(catalog["train.featureSpec"]?.path).toBe("data/06_models/train/featureSpec.json");
    expect(catalog["featureSpec"]).toBeUndefined();
  });

  it("runs after a parameter default changed in the notebook: extracted again, said in one line, new value used", async () => {
    edit("const epochs = 300;", "const epochs = 5;");
    const { stdout, stderr, code } = await project.cli(["run", "second"]);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(code).toBe(0);
    expect(stdout).toContain("notebooks/second.ipynb changed: extracted again (parameter epochs: 300 → 5)");
    expect(stdout).toMatch(/Run \w+ FINISHED/);
    const saved = JSON.parse(readFileSync(join(project.root, "data/08_reporting/second/featureSpec.json"), "utf8")) as {
      epochs: number;
    };
    expect(saved.epochs).toBe(5);
    // train's dataset of the same name is not written by the second pipeline.
    expect(existsSync(join(project.root, "data/06_models/train/featureSpec.json"))).toBe(false);
    expect(existsSync(join(project.root, "data/08_reporting/featureSpec.json"))).toBe(false);
  });

  it("says nothing about extraction when the notebook did not change", async () => {
    const { stdout, code } = await project.cli(["run", "second"]);
    expect(code).toBe(0);
    expect(stdout).not.toContain("extracted again");
  });

  it("refuses with --no-extract, naming what changed", async () => {
    edit("const epochs = 5;", "const epochs = 7;");
    const { stdout, stderr, code } = await project.cli(["run", "second", "--no-extract"]);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/Run \w+ FINISHED/);
    expect(stderr).toContain(
      "notebooks/second.ipynb changed since pipelines/second/ was extracted (parameter epochs: 5 → 7)",
    );
    expect(stderr).toContain("npx extract notebooks/second.ipynb");
  });

  it("stops on a notebook that no longer extracts (a syntax error), with the extraction error, and runs nothing", async () => {
    edit("const featureSpec = {", "const featureSpec = {{");
    const { stdout, stderr, code } = await project.cli(["run", "second"]);
    expect(code).toBe(1);
    expect(stdout).not.toContain("▸ fit");
    expect(stdout).not.toMatch(/Run \w+ FINISHED/);
    expect(stderr).toContain("notebooks/second.ipynb");
    expect(stderr).toMatch(/error/i);
    expect(stderr).not.toMatch(/^\s+at /m);
    edit("const featureSpec = {{", "const featureSpec = {");
  });

  it("serve checks the served pipeline's notebook too: refuses with --no-extract, stops on one that no longer extracts, before loading any model", async () => {
    edit("const epochs = 7;", "const epochs = 9;");
    const drift = await project.cli(["serve", "second", "--port", "0", "--no-extract"]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).not.toContain("listening");
    expect(drift.stderr).toContain(
      "notebooks/second.ipynb changed since pipelines/second/ was extracted (parameter epochs: 5 → 9)",
    );
    edit("const featureSpec = {", "const featureSpec = {{");
    const broken = await project.cli(["serve", "second", "--port", "0"]);
    edit("const featureSpec = {{", "const featureSpec = {");
    expect(broken.code).toBe(1);
    expect(broken.stdout).not.toContain("listening");
    expect(broken.stderr).toContain("notebooks/second.ipynb does not extract");
    expect(broken.stderr).not.toMatch(/^\s+at /m);
  });

  it("stops on a truncated notebook file, naming it", async () => {
    const text = readFileSync(notebook, "utf8");
    writeFileSync(notebook, text.slice(0, Math.floor(text.length / 2)));
    const { stdout, stderr, code } = await project.cli(["run", "second"]);
    writeFileSync(notebook, text);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/Run \w+ FINISHED/);
    expect(stderr).toContain("notebooks/second.ipynb: is not valid JSON");
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("reads its own parameters from conf/<env>/parameters/second.yml, and ignores train's in the shared file", async () => {
    project.write("conf/local/parameters.yml", "hiddenUnits: 64\n");
    project.write("conf/base/parameters/second.yml", "threshold: 0.7\n");
    const { stderr, code } = await project.cli(["run", "second"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const saved = JSON.parse(readFileSync(join(project.root, "data/08_reporting/second/featureSpec.json"), "utf8")) as {
      threshold: number;
    };
    expect(saved.threshold).toBe(0.7);
  });

  it("refuses a name in its own parameters file that it does not declare, and a name no pipeline declares", async () => {
    project.write("conf/base/parameters/second.yml", "hiddenUnits: 3\n");
    const own = await project.cli(["run", "second"]);
    expect(own.code).not.toBe(0);
    expect(own.stderr).toContain("Unknown parameter `hiddenUnits` in conf/base/parameters/second.yml");
    project.write("conf/base/parameters/second.yml", "");
    project.write("conf/local/parameters.yml", "treshold: 0.2\n");
    const typo = await project.cli(["run", "second"]);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain("Unknown parameter `treshold` in conf/local/parameters.yml");
    expect(typo.stderr).toContain("threshold");
    project.write("conf/local/parameters.yml", "");
  });
});
