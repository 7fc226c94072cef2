// `cellforge start` and `cellforge ui` as a user runs them: the real CLI in a temp project, a real server on a socket.
import type { ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExampleProject, createProject, type FixtureProject } from "../fixture-project.ts";

/** Collects a child's output and resolves when `pattern` appears in its stdout. */
function waitFor(child: ChildProcess, pattern: RegExp, timeoutMs = 90_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (pattern.test(stdout)) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      if (!pattern.test(stdout))
        reject(new Error(`exited with ${code} before ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code)),
  );
}

describe("cellforge start", () => {
  let project: FixtureProject;
  beforeAll(() => {
    project = createProject(["train"]);
  });
  afterAll(() => project.remove());

  it("checks the pipelines, trains, registers, sets @champion, serves with the UI and prints a sample request; Ctrl-C stops it", async () => {
    const child = project.spawn(["start", "--port", "0"]);
    const output = await waitFor(child, /Ctrl-C to stop\./);
    expect(output).toMatch(/^● pipelines\/ matches notebooks\/ \(extract --check, [\d.]+ s\)$/m);
    expect(output).toContain("● Training `train`: no model `train` is registered yet");
    expect(output).toMatch(/^✓ train_model /m);
    expect(output).toContain("  Registered model train:1.");
    expect(output).toContain("  @champion → train:1 (no version had it yet).");
    const url = /^ {2}Server {3}(http:\/\/127\.0\.0\.1:\d+) /m.exec(output)?.[1];
    expect(url).toBeDefined();
    expect(output).toContain(`  Web UI   ${url}/ui`);
    // The sample request is the first row of the catalog's CSV data, shaped by the request schema.
    expect(output).toContain(
      `curl -s ${url}/predict -H 'content-type: application/json' \\\n             -d '{"x1":-0.628,"x2":-0.968}'`,
    );
    expect(output).toMatch(/→ label 0 · probability \d+\.\d%/);

    const prediction = await fetch(`${url}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ x1: 1.3, x2: 1.7 }),
    });
    expect(prediction.status).toBe(200);
    expect(await prediction.json()).toMatchObject({ label: 1 });
    const ui = await fetch(`${url}/ui`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain("<code>train:1</code>");

    child.kill("SIGINT");
    expect(await exited(child)).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("reuses the registered model when data, code and parameters are unchanged", async () => {
    const { stdout, code } = await project.cli(["start", "--no-serve"]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "● Reusing model train:1: its training data, node code and parameters are unchanged (--retrain to train anyway)",
    );
    expect(stdout).not.toContain("▸ split");
    expect(stdout).toMatch(/Ready in [\d.]+ (ms|s): model train:1 is registered \(--no-serve: not serving it\)\./);
  });

  it("trains again when the data changed, and leaves @champion where it was", async () => {
    const points = join(project.root, "data/01_raw/points.csv");
    writeFileSync(points, readFileSync(points, "utf8").replace("1.318,1.690,1", "1.418,1.690,1"));
    const { stdout, code } = await project.cli(["start", "--no-serve"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/● Training `train`: data: `points` changed \(sha256 [0-9a-f]{12} → [0-9a-f]{12}\)/);
    expect(stdout).toContain("  Registered model train:2.");
    expect(stdout).toContain(
      "  @champion stays on train:1; to promote this version: npx cellforge models promote train 2 --alias champion",
    );
  });

  it("trains again when a parameter changed, or when asked to", async () => {
    project.write("conf/base/parameters.yml", "epochs: 3\n");
    const changed = await project.cli(["start", "--no-serve"]);
    expect(changed.stdout).toContain("● Training `train`: parameter `epochs`: 5 → 3");
    expect(changed.stdout).toMatch(/^ {2}train_model {2}epoch 3\/3 /m);
    expect(changed.stdout).toContain("  Registered model train:3.");
    const forced = await project.cli(["start", "--no-serve", "--retrain"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("● Training `train` again (--retrain): every node reruns");
    expect(forced.stdout).toMatch(/^✓ split /m);
    // Seeded, the forced run trains the same weights: the registry keeps version 3, and that run now stands for it.
    expect(forced.stdout).toContain("  The model is unchanged: still train:3.");
    const again = await project.cli(["start", "--no-serve"]);
    expect(again.stdout).toContain("● Reusing model train:3");
    // Back to the default parameters: the version trained with them is still registered, and reused.
    project.write("conf/base/parameters.yml", "");
    const back = await project.cli(["start", "--no-serve"]);
    expect(back.stdout).toContain("● Reusing model train:2");
  });

  it("refuses options it does not know", async () => {
    const { stderr, code } = await project.cli(["start", "--port", "http"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--port expects a port number (0–65535), not `http`.");
  });
});

describe("cellforge start with another notebook broken", () => {
  let project: FixtureProject;
  beforeAll(() => {
    project = createProject(["train"]);
    const notebook = readFileSync(join(import.meta.dirname, "../../fixtures/notebooks/second/truncated.ipynb"), "utf8");
    project.write("notebooks/broken.ipynb", notebook);
  });
  afterAll(() => project.remove());

  it("trains and registers `train`, and says the broken notebook was skipped", async () => {
    const { stdout, stderr, code } = await project.cli(["start", "--no-serve"]);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "  notebooks/broken.ipynb does not extract: skipped, `train` is trained and served all the same (`npx extract notebooks/broken.ipynb` says why).",
    );
    expect(stdout).toContain("  Registered model train:1.");
  });
});

describe("cellforge start after cellforge run", () => {
  let project: FixtureProject;
  beforeAll(() => {
    project = createProject(["train"]);
  });
  afterAll(() => project.remove());

  it("reuses the model `cellforge run` registered, since that run recorded its node code", async () => {
    const run = await project.cli(["run", "train"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Model train version 1 registered");
    const { stdout, code } = await project.cli(["start", "--no-serve"]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "● Reusing model train:1: its training data, node code and parameters are unchanged (--retrain to train anyway)",
    );
    expect(stdout).not.toContain("▸ split");
  });
});

describe("cellforge start on the example project", () => {
  let project: FixtureProject;
  beforeAll(() => {
    project = copyExampleProject();
  });
  afterAll(() => project.remove());

  it("extracts the notebook again when it changed since pipelines/ was generated, then trains the Pokémon model", async () => {
    const notebook = join(project.root, "notebooks/train.ipynb");
    writeFileSync(
      notebook,
      readFileSync(notebook, "utf8").replace('"const epochs = 40;\\n"', '"const epochs = 1;\\n"'),
    );
    const { stdout, code } = await project.cli(["start", "--no-serve"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/● pipelines\/ did not match notebooks\/, so it was extracted again \([\d.]+ s\)/);
    expect(readFileSync(join(project.root, "pipelines/train/parameters.ts"), "utf8")).toContain("epochs: 1,");
    expect(stdout).toMatch(/^ {2}train {5}epoch 1 {2}loss /m);
    expect(stdout).not.toContain("epoch 2");
    expect(stdout).toContain("  Registered model train:1.");
  }, 120_000);
});

describe("cellforge ui", () => {
  let project: FixtureProject;
  beforeAll(() => {
    project = createProject(["train"]);
  });
  afterAll(() => project.remove());

  it("serves the UI alone when no model is registered yet", async () => {
    const child = project.spawn(["ui", "--port", "0"]);
    const output = await waitFor(child, /the web UI is at (http:\/\/\S+)\/ui/);
    const url = /the web UI is at (http:\/\/\S+)\/ui/.exec(output)![1]!;
    expect(output).toContain("no model is registered yet, so none is served");
    const runs = await fetch(`${url}/ui`);
    expect(runs.status).toBe(200);
    expect(await runs.text()).toContain("No runs yet");
    expect((await fetch(`${url}/ui/try`)).status).toBe(200);
    expect((await fetch(`${url}/`, { redirect: "manual" })).headers.get("location")).toBe("/ui");
    child.kill("SIGINT");
    expect(await exited(child)).toBe(0);
  });

  it("says which models there are when several are registered and none is named", async () => {
    const several = createProject(["train"]);
    try {
      // Two copies of the train pipeline under other names: two registered models, neither of them `train`.
      const files = ["nodes.ts", "pipeline.ts"].map((f) => [
        f,
        readFileSync(join(several.root, "pipelines/train", f), "utf8"),
      ]);
      for (const name of ["legendary", "weight"]) {
        for (const [file, text] of files)
          several.write(`pipelines/${name}/${file}`, text!.replace('name: "train"', `name: "${name}"`));
        expect((await several.cli(["run", name])).code).toBe(0);
      }
      const child = several.spawn(["ui", "--port", "0"]);
      const output = await waitFor(child, /the web UI is at (http:\/\/\S+)\/ui/);
      expect(output).toContain(
        "several models are registered (legendary, weight), so none is served; `cellforge ui legendary` serves one beside it",
      );
      expect(output).not.toContain("no model is registered yet");
      child.kill("SIGINT");
      expect(await exited(child)).toBe(0);
    } finally {
      several.remove();
    }
  });

  it("serves the UI and the registered model", async () => {
    expect((await project.cli(["run", "train"])).code).toBe(0);
    const child = project.spawn(["ui", "--port", "0"]);
    const output = await waitFor(child, /serving train:1 at (http:\/\/\S+) /);
    const url = /serving train:1 at (http:\/\/\S+) /.exec(output)![1]!;
    expect((await fetch(`${url}/ui/models`)).status).toBe(200);
    expect(
      (
        await fetch(`${url}/predict`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: '{"x1":1,"x2":1}',
        })
      ).status,
    ).toBe(200);
    child.kill("SIGINT");
    expect(await exited(child)).toBe(0);
  });
});
