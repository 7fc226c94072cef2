// A newcomer's first minutes, as the README tells them: clone the repository, `npm ci`, `npm start`, call the model
// with the sample request, Ctrl-C; then edit a parameter in the notebook and `cellforge run` it. A fresh clone of what is committed (uncommitted work is not in it), installed from
// the npm cache, started in its own process group on a free port. Slow (minutes): CELLFORGE_SKIP_E2E=1 skips it locally.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHARIZARD, expectPokemonPrediction, skipE2e } from "./support.ts";

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, "../..");

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** The environment of a fresh shell: none of the npm variables of the `npm test` running this, nor its node_modules/.bin. */
function shellEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!/^npm_|^INIT_CWD$|^VITEST|^NODE_ENV$|^CELLFORGE_/.test(key)) env[key] = value;
  env["PATH"] = (process.env["PATH"] ?? "")
    .split(delimiter)
    .filter((p) => !p.includes("node_modules"))
    .join(delimiter);
  return env;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(skipE2e)("a newcomer's first minutes", () => {
  const folder = mkdtempSync(join(tmpdir(), "cellforge-newcomer-"));
  const clone = join(folder, "cellforge");
  const env = shellEnvironment();
  let start: ChildProcess | undefined;
  let output = "";
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    await run("git", ["clone", "--quiet", repo, clone], { env });
    const began = performance.now();
    // Offline-friendly: packages come from the npm cache when it has them.
    await run("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], {
      cwd: clone,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    timings["npm ci"] = (performance.now() - began) / 1000;
  });

  afterAll(() => {
    if (start?.pid !== undefined && groupAlive(start.pid)) process.kill(-start.pid, "SIGKILL");
    rmSync(folder, { recursive: true, force: true });
  });

  it("clones, installs, runs npm start to a served model, predicts Charizard's type, and stops cleanly on Ctrl-C", async () => {
    const port = await freePort();
    const began = performance.now();
    // Its own process group, as a terminal's foreground job: Ctrl-C then reaches npm and everything it started.
    start = spawn("npm", ["start", "--", "--port", String(port)], {
      cwd: clone,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    start.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    start.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const url = `http://127.0.0.1:${port}`;

    await waitUntil(
      "GET /ready to answer 200",
      async () => ((await fetch(`${url}/ready`)).status === 200 ? true : undefined),
      5 * 60_000,
      () => output,
    );
    const response = await fetch(`${url}/predict`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(CHARIZARD),
    });
    expect(response.status).toBe(200);
    const answer: unknown = await response.json();
    timings["npm start → /predict answering"] = (performance.now() - began) / 1000;
    console.log(
      `newcomer: npm ci ${timings["npm ci"]!.toFixed(1)} s; npm start from a fresh clone to /predict answering ${timings["npm start → /predict answering"].toFixed(1)} s`,
    );
    expectPokemonPrediction(answer);

    // The model moves to its own thread on the predict cell's first inferBatch (the warm-up's): the same answer from there.
    await waitUntil(
      "GET /model to say the model runs on its own thread",
      async () => {
        const model = (await (await fetch(`${url}/model`)).json()) as { backend?: string };
        return model.backend?.endsWith(", on the model thread") === true ? true : undefined;
      },
      60_000,
      () => output,
    );
    const again = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ dataframe_records: [CHARIZARD, CHARIZARD] }),
    });
    expect(await again.json()).toEqual({ predictions: [answer, answer] });

    // What the terminal said: the server, the UI, and a sample curl with Charizard's real stats.
    await waitUntil(
      "the sample request on the terminal",
      async () => (output.includes("Ctrl-C to stop.") ? true : undefined),
      30_000,
      () => output,
    );
    expect(output).toContain("● pipelines/ matches notebooks/");
    expect(output).toMatch(/^ {2}train {5}epoch 40 {2}loss /m);
    expect(output).toContain("  Registered model train:1.");
    expect(output).toContain(`  Server   ${url}`);
    expect(output).toContain(`  Web UI   ${url}/ui`);
    expect(output).toContain(`-d '${JSON.stringify(CHARIZARD)}'`);
    expect(output).toContain("Charizard (fire/flying), from data/01_raw/pokemon.csv");
    expect((await fetch(`${url}/ui`)).status).toBe(200);

    // Ctrl-C: the whole foreground group gets SIGINT. cellforge drains and exits 0; npm itself ends by the signal, as in a terminal.
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      start!.once("exit", (code, signal) => done({ code, signal })),
    );
    process.kill(-start.pid!, "SIGINT");
    const { code, signal } = await exit;
    await waitUntil(
      "every process of npm start to end",
      async () => (groupAlive(start!.pid!) ? undefined : true),
      15_000,
      () => output,
    );
    expect(output).toContain("cellforge start: SIGINT: stopping the server…");
    expect(output).toContain("cellforge start: stopped.");
    expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // no stack trace
    expect(code === 0 || signal === "SIGINT").toBe(true);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it("edits a parameter default in the notebook and runs it with `cellforge run`, without extracting by hand", async () => {
    const notebook = join(clone, "notebooks/train.ipynb");
    const text = readFileSync(notebook, "utf8");
    expect(text).toContain('"const epochs = 40;\\n"');
    writeFileSync(notebook, text.replace('"const epochs = 40;\\n"', '"const epochs = 2;\\n"'));
    const { stdout } = await run("npx", ["cellforge", "run", "train"], {
      cwd: clone,
      env,
      maxBuffer: 64 * 1024 * 1024,
      timeout: 5 * 60_000,
    });
    expect(stdout).toContain("notebooks/train.ipynb changed: extracted again (parameter epochs: 40 → 2)");
    const runId = /^run ([0-9a-f]{32}) · pipeline train$/m.exec(stdout)?.[1];
    expect(runId).toBeDefined();
    const shown = await run("npx", ["cellforge", "runs", "show", runId!], { cwd: clone, env });
    expect(shown.stdout).toMatch(/^\s*epochs\s+2$/m);
  });
});
