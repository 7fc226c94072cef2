// Issue 25's acceptance check: a project with three notebooks of three shapes beside one broken on purpose, driven
// as a user drives it. The example's train.ipynb (TF.js, two heads, `predict`), a plain-TypeScript logistic regression
// with a `predict` cell (legendary.ipynb), a notebook that only saves a JSON summary (second.ipynb), and a truncated
// file (broken.ipynb). Each good one extracts, runs, keeps its data under its own namespace, serves or appears in
// the UI in its own tab; the broken one is reported in one line and blocks nothing.
import type { ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExampleProject, runExtract, type FixtureProject } from "../fixture-project.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const fixtures = join(repo, "tests/fixtures/notebooks");

/** Starts `cellforge args…` and resolves with the URL once stdout matches `ready` (whose group 1 is the URL). */
function started(child: ChildProcess, ready: RegExp): Promise<string> {
  return new Promise((done, fail) => {
    let output = "";
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${ready}:\n${output}`)), 120_000);
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = ready.exec(output)?.[1];
      if (url !== undefined) {
        clearTimeout(timer);
        done(url);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`exited (${code}) before ${ready}:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((done) =>
    child.exitCode !== null ? done(child.exitCode) : child.once("exit", (code) => done(code)),
  );
}

const good = ["legendary", "second", "train"] as const;

// Three extractions (ts-morph) and three runs, one with TF.js, on a loaded 2-core CI machine: minutes.
describe("a project with three notebooks and a broken one", { timeout: 300_000 }, () => {
  let project: FixtureProject;
  const children: ChildProcess[] = [];
  const runIds: Record<string, string> = {};

  beforeAll(() => {
    project = copyExampleProject();
    copyFileSync(join(fixtures, "capture.ipynb"), join(project.root, "notebooks/legendary.ipynb"));
    copyFileSync(join(fixtures, "second/second.ipynb"), join(project.root, "notebooks/second.ipynb"));
    copyFileSync(join(fixtures, "second/truncated.ipynb"), join(project.root, "notebooks/broken.ipynb"));
  });
  afterAll(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    project.remove();
  });

  it("extract --all extracts the good notebooks and reports the broken one in exactly one line, exiting non-zero", async () => {
    const { stdout, stderr, code } = await runExtract(project.root, ["--all"]);
    expect(code).not.toBe(0);
    const output = `${stdout}${stderr}`;
    expect(output).not.toMatch(/^\s+at /m);
    const aboutBroken = output.split("\n").filter((line) => line.includes("broken.ipynb"));
    expect(aboutBroken).toHaveLength(1);
    for (const name of good) expect(existsSync(join(project.root, "pipelines", name, "pipeline.ts")), name).toBe(true);
    expect(existsSync(join(project.root, "pipelines/broken"))).toBe(false);
  });

  it("extract --all --check passes the good notebooks and reports the broken one in one line, exiting non-zero", async () => {
    const { stdout, stderr, code } = await runExtract(project.root, ["--all", "--check"]);
    expect(code).not.toBe(0);
    const lines = `${stdout}${stderr}`.split("\n");
    expect(lines.filter((line) => line.includes("broken.ipynb"))).toHaveLength(1);
    for (const name of good)
      expect(lines, name).toContainEqual(expect.stringMatching(new RegExp(`^notebooks/${name}\\.ipynb: up to date`)));
  });

  it("gives each pipeline's datasets its own namespace in the catalog, each under a comment naming its code cell", () => {
    const text = readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8");
    expect(text).toContain("# Saved by notebooks/legendary.ipynb code cell 8\nlegendary.model:");
    expect(text).toContain("# Loaded by notebooks/second.ipynb code cell 3\nsecond.pokemon:");
    const catalog = parse(text) as Record<string, { path?: string }>;
    const names = Object.keys(catalog);
    expect(
      names.every((name) => /^(legendary|second|train)\./.test(name)),
      names.join(", "),
    ).toBe(true);
    expect(catalog["legendary.model"]?.path).toMatch(/\/legendary\//);
    expect(catalog["second.featureSpec"]?.path).toMatch(/\/second\//);
    expect(catalog["train.featureSpec"]?.path).toMatch(/\/train\//);
  });

  it.each([
    ["train", "epochs=3", true],
    ["legendary", "epochs=20", true],
    ["second", "epochs=5", false],
  ] as const)(
    "cellforge run %s (--params %s) finishes, registering a model only where there is a predict cell",
    async (name, params, registers) => {
      const { stdout, stderr, code } = await project.cli(["run", name, "--params", params]);
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(code, `${stdout}\n${stderr}`).toBe(0);
      expect(stdout).toMatch(/Run \w+ FINISHED/);
      const run = new RegExp(`^run ([0-9a-f]+) · pipeline ${name}$`, "m").exec(stdout);
      expect(run).not.toBeNull();
      runIds[name] = run![1]!;
      if (registers) expect(stdout).toContain(`Model ${name} version 1 registered`);
      else expect(stdout).not.toMatch(/Model \w+ version \d+ registered/);
      expect(stdout).not.toContain("broken.ipynb");
    },
  );

  it("keeps each pipeline's data under its own namespace", () => {
    const catalog = parse(readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8")) as Record<
      string,
      { path?: string }
    >;
    for (const name of good) {
      const written = Object.entries(catalog).filter(
        ([key, entry]) =>
          key.startsWith(`${name}.`) && entry.path !== undefined && !entry.path.startsWith("data/01_raw/"),
      );
      expect(written.length, name).toBeGreaterThan(0);
      for (const [key, entry] of written) {
        expect(entry.path, key).toContain(`/${name}/`);
        expect(existsSync(join(project.root, entry.path!)), key).toBe(true);
      }
    }
    // Nothing was written outside a pipeline's folder (both `train` and `second` save a `featureSpec`).
    for (const layer of ["06_models", "08_reporting"]) {
      const folder = join(project.root, "data", layer);
      if (!existsSync(folder)) continue;
      for (const entry of readdirSync(folder))
        expect(good as readonly string[], `data/${layer}/${entry}`).toContain(entry);
    }
    const second = JSON.parse(
      readFileSync(join(project.root, "data/08_reporting/second/featureSpec.json"), "utf8"),
    ) as { epochs: number };
    expect(second.epochs).toBe(5);
  });

  it("cellforge serve legendary --port 0 answers a /predict request, then stops on SIGTERM", async () => {
    const child = project.spawn(["serve", "legendary", "--port", "0"]);
    children.push(child);
    const url = await started(child, /serving legendary:1 at (http:\/\/127\.0\.0\.1:\d+)/);
    const stats = { hp: 106, attack: 110, defense: 90, sp_attack: 154, sp_defense: 90, speed: 130 };
    const response = await fetch(`${url}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(stats),
    });
    const body = await response.text();
    expect(response.status, body).toBe(200);
    const answer = JSON.parse(body) as { isLegendary?: unknown; legendaryProbability?: unknown };
    expect(typeof answer.isLegendary, body).toBe("boolean");
    expect(typeof answer.legendaryProbability, body).toBe("number");
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
  });

  it("cellforge ui lists every pipeline's runs, each in its own tab", async () => {
    const child = project.spawn(["ui", "--port", "0"]);
    children.push(child);
    const url = await started(child, /(http:\/\/127\.0\.0\.1:\d+)\/ui/);
    const page = async (path: string): Promise<string> => {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(200);
      return response.text();
    };
    const runLinks = (html: string): string[] =>
      [...html.matchAll(/class="run-link" href="\/ui\/runs\/([0-9a-f]+)"/g)].map((m) => m[1]!);
    const home = await page("/ui");
    expect(home).toMatch(/<nav class="tabs" aria-label="Pipelines">/);
    for (const name of good) {
      expect(home).toMatch(
        new RegExp(`<a href="\\?pipeline=${name}"( aria-current="page")?>${name} <span class="count">1</span></a>`),
      );
      expect(runLinks(await page(`/ui?pipeline=${name}`))).toEqual([runIds[name]]);
    }
    expect(home).not.toMatch(/pipeline=broken/);
    expect(home).toContain('<a href="?pipeline=">All pipelines <span class="count">3</span></a>');
    expect(runLinks(await page("/ui?pipeline=")).sort()).toEqual(good.map((name) => runIds[name]).sort());
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
  });
});
