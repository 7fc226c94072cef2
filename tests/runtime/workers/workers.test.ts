/**
 * Workers on a real Redis (Debian's redis-server on a free port): a sweep spread over two
 * `cellforge worker` processes gives the same runs as the same sweep run locally, a worker killed
 * with SIGKILL mid-job hands its job to another, and an unreachable Redis is one clear error.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { prepareRunJob } from "../../../runtime/workers/prepare-job.ts";
import { checkCodeVersion, type RunJob } from "../../../runtime/workers/run-job.ts";
import { RunQueue } from "../../../runtime/workers/run-queue.ts";
import { openProjectStore } from "../../../runtime/stores/project-stores.ts";
import { workersSettings } from "../../../runtime/workers/workers-settings.ts";
import type { Pipeline } from "../../../runtime/pipeline/definition.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";
import { freePort, startRedis, type TestRedis } from "./redis-server.ts";

let redis: TestRedis;
let project: FixtureProject;
const workers = new Set<ChildProcess>();

beforeAll(async () => {
  redis = await startRedis();
  project = createProject(["train", "slow"]);
  // A short lock, so that a killed worker's job goes to another within seconds.
  project.write("conf/local/workers.yml", `redis: ${redis.url}\nlockDurationMs: 10000\n`);
});

// A test that fails before stopping its workers must not leave them taking the next test's jobs.
afterEach(async () => {
  await Promise.all(
    [...workers].map(async (worker) => {
      workers.delete(worker);
      if (worker.exitCode !== null || worker.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.kill("SIGTERM");
      const forced = setTimeout(() => worker.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(forced);
    }),
  );
}, 60_000);

afterAll(async () => {
  await redis.stop();
  project.remove();
});

/** Starts `cellforge worker` and resolves once it takes jobs; `output()` is what it printed so far. */
async function startWorker(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = project.spawn(["worker"]);
  workers.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("taking jobs")) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    child.once("exit", () => reject(new Error(`cellforge worker ended early:\n${output}`)));
  });
  return { child, output: () => output };
}

async function stopWorker(worker: { child: ChildProcess }): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => worker.child.once("exit", (code) => resolve(code)));
  worker.child.kill("SIGTERM");
  return exited;
}

/** The summary table rows of `cellforge sweep`: configuration → [status, metric]. */
function summary(stdout: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const line of stdout.split("\n")) {
    const cells = line.trim().split(/\s+/);
    if (/^\d+$/.test(cells[0] ?? "") && cells.length === 6) rows.set(`${cells[3]} ${cells[4]}`, [cells[2]!, cells[5]!]);
  }
  return rows;
}

const grid = ["--grid", "learning_rate=0.01,0.05", "--grid", "epochs=1,2", "--metric", "testLoss"];

describe("cellforge worker, run --on workers and sweep", () => {
  it("a sweep of 4 configurations on 2 worker processes records 4 FINISHED runs with the metrics of the same sweep run locally, and registers the best", async () => {
    const pair = await Promise.all([startWorker(), startWorker()]);
    const onWorkers = await project.cli(["sweep", "train", ...grid, "--on", "workers", "--register-best"]);
    expect(onWorkers.code, onWorkers.stdout + onWorkers.stderr).toBe(0);
    const sweepId = /· (sweep-[\w-]+) ·/.exec(onWorkers.stdout)![1]!;
    // Both workers took jobs.
    for (const worker of pair) expect(worker.output()).toMatch(/FINISHED/);
    await Promise.all(pair.map(stopWorker));

    const local = await project.cli(["sweep", "train", ...grid, "--on", "local", "--parallel", "2"]);
    expect(local.code, local.stdout + local.stderr).toBe(0);
    const remote = summary(onWorkers.stdout);
    expect(remote.size).toBe(4);
    expect([...remote.values()].map(([status]) => status)).toEqual(["FINISHED", "FINISHED", "FINISHED", "FINISHED"]);
    expect(summary(local.stdout)).toEqual(remote);

    // Each configuration ran once: no job was handed to a second worker while the first still ran it.
    const listed = await project.cli(["runs", "list", "--filter", `tags.cellforge.sweep = ${sweepId}`]);
    expect(
      listed.stdout.split("\n").filter((l) => / train +FINISHED /.test(l)),
      listed.stdout,
    ).toHaveLength(4);
    // The best run (lowest testLoss, first row) is the registered version's run.
    const bestRun = /^1\s+([0-9a-f]{8})\s+FINISHED/m.exec(onWorkers.stdout)![1]!;
    expect(onWorkers.stdout).toContain(`Best run ${bestRun}: model train version 1 registered.`);
    const model = await project.cli(["models", "show", "train:1"]);
    expect(model.stdout).toContain(bestRun);
  }, 300_000);

  it("one worker runs consecutive jobs in the same warm process, with the metrics of fresh local runs of the same configurations", async () => {
    const worker = await startWorker();
    const swept = await project.cli([
      "sweep",
      "train",
      "--grid",
      "learning_rate=0.05,0.01",
      "--params",
      "epochs=2",
      "--on",
      "workers",
      "--metric",
      "testLoss",
    ]);
    expect(swept.code, swept.stdout + swept.stderr).toBe(0);
    expect(await stopWorker(worker)).toBe(0);
    // Both runs went to the one run process the worker warmed at its start.
    const processes = [...worker.output().matchAll(/run ([0-9a-f]{8}) started in process (\d+)/g)];
    expect(processes, worker.output()).toHaveLength(2);
    expect(processes[0]![2]).toBe(processes[1]![2]);

    const fresh = await Promise.all(
      ["0.05", "0.01"].map(async (rate) => {
        const run = await project.cli(["run", "train", "--force", "--params", `learning_rate=${rate},epochs=2`]);
        expect(run.code, run.stdout + run.stderr).toBe(0);
        return /^run ([0-9a-f]{32})/m.exec(run.stdout)![1]!;
      }),
    );
    const { store } = await openProjectStore(project.root, "local");
    try {
      const metricsOf = async (id: string): Promise<Record<string, number>> => (await store.getRun(id))!.metrics;
      const all = await store.listRuns({ pipeline: "train" });
      const runIds = processes.map(([, prefix]) => all.find((run) => run.id.startsWith(prefix!))!.id);
      // The first job ran learning_rate=0.05, the second 0.01: exactly the metrics of a fresh process each.
      expect(await metricsOf(runIds[0]!)).toEqual(await metricsOf(fresh[0]!));
      expect(await metricsOf(runIds[1]!)).toEqual(await metricsOf(fresh[1]!));
      expect(await metricsOf(runIds[0]!)).not.toEqual(await metricsOf(runIds[1]!));
    } finally {
      await store.close();
    }
  }, 300_000);

  it("a worker killed with SIGKILL mid-job: another worker takes the job, the run finishes and the killed attempt is KILLED", async () => {
    const first = await startWorker();
    const command = project.spawn(["run", "slow", "--on", "workers", "--params", "wait_ms=4000"]);
    let output = "";
    command.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    command.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => command.once("exit", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes("slow step started")) {
          clearInterval(timer);
          resolve();
        }
      }, 100);
      command.once("exit", () => reject(new Error(`cellforge run --on workers ended early:\n${output}`)));
    });
    const killedRun = /^run ([0-9a-f]{32})/m.exec(output)![1]!;
    first.child.kill("SIGKILL");
    const second = await startWorker();
    expect(await exited, output).toBe(0);
    expect(output).toMatch(/attempt 2: its previous worker stopped answering/);
    const finishedRun = /FINISHED/.test(output) ? /^Run ([0-9a-f]{8}) FINISHED/m.exec(output)![1]! : "";
    expect(finishedRun).not.toBe(killedRun.slice(0, 8));
    const list = await project.cli(["runs", "list", "--filter", "pipeline = slow"]);
    expect(list.stdout).toMatch(new RegExp(`^${killedRun.slice(0, 8)}  slow +KILLED `, "m"));
    expect(list.stdout).toMatch(new RegExp(`^${finishedRun}  slow +FINISHED `, "m"));
    expect(await stopWorker(second)).toBe(0);
  }, 300_000);

  it("a job queued with other node code is refused by the worker, saying which side to update", async () => {
    const worker = await startWorker();
    const { job } = await prepareRunJob({ root: project.root, pipeline: "slow", env: "local", params: [] });
    const queue = await RunQueue.open(workersSettings(project.root, "local"));
    try {
      const queued = await queue.submit({ ...job, codeHashes: { slow_step: "slow-v0" } }, () => undefined);
      const result = await queued.result;
      expect(result.status).toBe("FAILED");
      expect(result.error).toContain(
        "Refused: pipeline `slow` has other code on this worker than in the job (nodes `slow_step`)",
      );
      expect(result.runId).toBeUndefined();
    } finally {
      await queue.close();
    }
    expect(await stopWorker(worker)).toBe(0);

    // Which side to update follows the commits' times.
    const pipeline = { name: "slow", nodes: [{ name: "slow_step", codeHash: "slow-v1" }] } as unknown as Pipeline;
    const queuedFrom = (time: number): RunJob => ({
      ...job,
      codeHashes: { slow_step: "slow-v2" },
      commit: { id: "a".repeat(40), time },
    });
    const workerCommit = { id: "b".repeat(40), time: 1000 };
    expect(() => checkCodeVersion(queuedFrom(2000), pipeline, workerCommit)).toThrow(
      /newer commit \(aaaaaaaa\) than this worker's \(bbbbbbbb\): update the worker/,
    );
    expect(() => checkCodeVersion(queuedFrom(500), pipeline, workerCommit)).toThrow(
      /older commit .* update the checkout that queued it/,
    );
    expect(() =>
      checkCodeVersion({ ...job, codeHashes: { slow_step: "slow-v1" } }, pipeline, workerCommit),
    ).not.toThrow();
  }, 120_000);

  it("an unreachable Redis is one clear error naming its URL, for the worker and for run --on workers", async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    const [worker, run] = await Promise.all([
      project.cli(["worker"], { CELLFORGE_REDIS_URL: url }),
      project.cli(["run", "train", "--on", "workers"], { CELLFORGE_REDIS_URL: url }),
    ]);
    for (const result of [worker, run]) {
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(`Cannot reach Redis at ${url}`);
      expect(result.stderr).toContain("CELLFORGE_REDIS_URL");
    }
  }, 60_000);
});
