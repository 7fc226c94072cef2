// `cellforge serve` as a user runs it: the real bin in a temp project, on a real port, stopped by SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cellforgeBin, type FixtureProject } from "../fixture-project.ts";
import { registeredProject } from "./registered-model.ts";

let project: FixtureProject;
const children: ChildProcess[] = [];

beforeAll(async () => {
  project = await registeredProject();
});

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  project.remove();
});

/** Starts `cellforge serve args…`; resolves once stdout matches `ready`, with the URL it printed. */
function serve(args: string[], ready: RegExp, env: Record<string, string> = {}) {
  const child = spawn(cellforgeBin, ["serve", ...args], {
    cwd: project.root,
    env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const started = new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const match = ready.exec(stdout);
      const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (match !== null && url !== undefined) resolve(url);
    };
    child.stdout.on("data", check);
    void exited.then((code) =>
      reject(new Error(`cellforge serve exited (${code}) before it was ready:\n${stdout}\n${stderr}`)),
    );
  });
  return { child, started, exited, output: () => ({ stdout, stderr }) };
}

async function predict(url: string): Promise<Response> {
  return fetch(`${url}/predict`, {
    method: "POST",
    body: JSON.stringify({ x1: 0.5, x2: 0.5 }),
    headers: { "content-type": "application/json" },
  });
}

describe("cellforge serve", () => {
  it("prints the URL, serves the project's model, and exits 0 after draining on SIGTERM", async () => {
    const server = serve(["--port", "0"], /serving train:1 at/);
    const url = await server.started;
    expect(server.output().stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+, loading train:1/);
    expect((await predict(url)).status).toBe(200);
    expect((await fetch(`${url}/admin/reload`, { method: "POST" })).status).toBe(404); // no CELLFORGE_ADMIN_TOKEN
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output().stdout).toMatch(/SIGTERM: draining requests in flight…\ncellforge serve: stopped\./);
  });

  it("serves from several workers, reloads all of them, aggregates their metrics, and stops them on SIGTERM", async () => {
    const server = serve(["--workers", "2", "--port", "0"], /from 2 workers/, { CELLFORGE_ADMIN_TOKEN: "s3cret" });
    const url = await server.started;
    const answers = await Promise.all(Array.from({ length: 20 }, () => predict(url)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    const reload = await fetch(`${url}/admin/reload`, { method: "POST", headers: { authorization: "Bearer s3cret" } });
    expect(reload.status).toBe(200);
    const outcome = (await reload.json()) as { reloaded: boolean; workers: unknown[] };
    expect(outcome).toMatchObject({ reloaded: false, to: "train:1" });
    expect(outcome.workers).toHaveLength(2);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const served = /cellforge_http_requests_total\{route="\/predict",method="POST",status="200"\} (\d+)/.exec(
      metrics,
    )?.[1];
    expect(Number(served)).toBe(20); // both workers' counts, summed
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("explains what is wrong when the model does not exist or an option is bad", async () => {
    const missing = await project.cli(["serve", "nosuch"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No model `nosuch` is registered.*Registered models: train/s);
    const badPort = await project.cli(["serve", "--port", "http"]);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/--port expects a port number/);
  });
});
