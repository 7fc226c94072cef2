/**
 * `cellforge run --on workers` node by node, on a real Redis with two `cellforge worker` processes:
 * a pipeline whose datasets between nodes are all in the catalog runs one node per job, in DAG
 * order, as one tracked run with the outputs and metrics of a local run.
 */
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, type FixtureProject } from "../fixture-project.ts";
import { startRedis, type TestRedis } from "./redis-server.ts";

let redis: TestRedis;
let project: FixtureProject;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  redis = await startRedis();
  project = createProject(["basic", "failing"]);
  project.write("conf/local/workers.yml", `redis: ${redis.url}\n`);
});

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill("SIGKILL");
  await redis.stop();
  project.remove();
});

async function startWorker(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = project.spawn(["worker"]);
  workers.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("run processes ready")) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once("exit", () => reject(new Error(`cellforge worker ended early:\n${output}`)));
  });
  return { child, output: () => output };
}

function metricsLine(stdout: string): string {
  return /^Metrics: .*$/m.exec(stdout)?.[0] ?? "";
}

describe("cellforge run --on workers, node by node", () => {
  it("a pipeline with every dataset between nodes in the catalog runs node by node on 2 workers, in DAG order, with a local run's outputs", async () => {
    // One job for the whole run while `adults` passes in memory.
    const pair = await Promise.all([startWorker(), startWorker()]);
    const whole = await project.cli(["run", "basic", "--on", "workers"]);
    expect(whole.code, whole.stdout + whole.stderr).toBe(0);
    expect(whole.stdout).toContain("one job (`adults` pass between nodes in memory");

    project.write(
      "conf/base/catalog.yml",
      readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8") +
        "adults:\n  type: json\n  path: data/02_intermediate/adults.json\n",
    );
    const run = await project.cli(["run", "basic", "--on", "workers", "--force"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("node by node on workers");
    expect(run.stdout).toMatch(/Run [0-9a-f]{8} FINISHED/);
    // Taken in DAG order: clean first, report after stats.
    const taken = [...run.stdout.matchAll(/^ {2}(\w+) → worker /gm)].map((m) => m[1]!);
    expect([...taken].sort()).toEqual(["clean", "count", "report", "stats"]);
    expect(taken[0]).toBe("clean");
    expect(taken.indexOf("report")).toBeGreaterThan(taken.indexOf("stats"));
    // Every node ran on a worker, one job each.
    const nodeJobs = pair.map((w) => [...w.output().matchAll(/node (\w+)\): FINISHED/g)].map((m) => m[1]!));
    expect(nodeJobs.flat().sort()).toEqual(["clean", "count", "report", "stats"]);
    const report = readFileSync(join(project.root, "data/08_reporting/report.txt"), "utf8");
    const runId = /^run ([0-9a-f]{32})/m.exec(run.stdout)![1]!;
    const shown = await project.cli(["runs", "show", runId.slice(0, 8)]);
    expect(shown.stdout).toContain("FINISHED");

    // The same run locally gives the same outputs and metrics.
    const local = await project.cli(["run", "basic", "--force"]);
    expect(local.code, local.stdout + local.stderr).toBe(0);
    expect(readFileSync(join(project.root, "data/08_reporting/report.txt"), "utf8")).toBe(report);
    expect(metricsLine(run.stdout)).not.toBe("");
    expect(metricsLine(run.stdout)).toBe(metricsLine(local.stdout));
  }, 300_000);

  it("a node failing on a worker fails the run: recorded FAILED with the cause, the nodes after it not run", async () => {
    project.write(
      "conf/base/catalog.yml",
      readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8") +
        "rowCount:\n  type: json\n  path: data/02_intermediate/row_count.json\n" +
        "ratio:\n  type: json\n  path: data/02_intermediate/ratio.json\n",
    );
    const run = await project.cli(["run", "failing", "--on", "workers", "--params", "divisor=0"]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toContain("node by node on workers");
    expect(run.stderr).toMatch(/Run [0-9a-f]{8} FAILED: .*cannot divide \d+ rows by zero/);
    const taken = [...run.stdout.matchAll(/^ {2}(\w+) → worker /gm)].map((m) => m[1]!);
    expect(taken).toEqual(["prepare", "divide"]);
    const listed = await project.cli(["runs", "list", "--filter", "pipeline = failing"]);
    expect(listed.stdout).toMatch(/ failing +FAILED /);
  }, 300_000);
});
