// Prints the wall time of an 8-configuration `cellforge sweep train` (few epochs) on the embedded data run by one
// process sequentially (`--on local --parallel 1`: one warm run process runs the 8 runs one after another) next to
// the same sweep on 2 `cellforge worker` processes (`--on workers`, each with one warm run process, started, warmed
// and given one untimed warm-up sweep before the timing, as long-running workers are when a sweep comes) sharing a
// throw-away Redis, and their ratio (goal ≤ 0.6 on 2 cores). Both sweeps are the same work: same grid, same epochs,
// every node rerun, no model registered. They alternate ROUNDS times (default 2), each figure printed with the load
// average when it ended, so that a busy machine shows. Needs Debian's redis-server.
// Run: npx tsx bench/sweep.ts   (EPOCHS=3 by default)
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startRedis } from "../tests/runtime/workers/redis-server.ts";
import { copyExampleProject, repoRoot } from "./example-project.ts";

const bin = join(repoRoot, "node_modules/.bin/cellforge");
const epochs = Number(process.env["EPOCHS"] ?? 3);
const rounds = Number(process.env["ROUNDS"] ?? 2);
const grid = ["--grid", "learningRate=0.001,0.003", "--grid", "hiddenUnits=32,64", "--grid", "seed=1,2"];
const env = { ...process.env, NO_COLOR: "1" };

/** Wall seconds of one `cellforge sweep`. */
function sweep(cwd: string, on: string[]): number {
  const start = performance.now();
  execFileSync(bin, ["sweep", "train", ...grid, "--params", `epochs=${epochs}`, ...on], { cwd, env, stdio: "ignore" });
  return (performance.now() - start) / 1000;
}

/** Starts `cellforge worker` and resolves once its run process is warm (as a long-running worker's is when a sweep comes). */
function startWorker(cwd: string): Promise<ChildProcess> {
  const child = spawn(bin, ["worker"], { cwd, env, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("run processes ready")) resolve(child);
    });
    child.once("exit", () => reject(new Error(`cellforge worker ended early:\n${output}`)));
  });
}

const redis = await startRedis();
const project = copyExampleProject();
const workers: ChildProcess[] = [];
try {
  mkdirSync(join(project.root, "conf/local"), { recursive: true });
  writeFileSync(join(project.root, "conf/local/workers.yml"), `redis: ${redis.url}\n`);
  // A first run extracts nothing and warms the file caches for both measurements.
  execFileSync(bin, ["run", "train", "--params", `epochs=1`], { cwd: project.root, env, stdio: "ignore" });
  workers.push(...(await Promise.all([startWorker(project.root), startWorker(project.root)])));
  console.log(`8-configuration sweep of train, ${epochs} epochs, ${cpus().length} cores, ${rounds} rounds alternating`);
  const load = (): string => `load ${loadavg()[0]!.toFixed(1)}`;
  // The workers' first jobs pay each run process's first-run costs (store, first TF.js fit) once: printed, not timed,
  // as a worker that has been up a while has paid them when a sweep comes. A local sweep's lane pays them every time.
  console.log(
    `  warm-up, 2 workers' first sweep (not in the ratio) ${sweep(project.root, ["--on", "workers"]).toFixed(1)} s   (${load()})`,
  );
  const sequential: number[] = [];
  const distributed: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    sequential.push(sweep(project.root, ["--on", "local", "--parallel", "1"]));
    console.log(`  round ${round}: 1 process, sequentially   ${sequential.at(-1)!.toFixed(1)} s   (${load()})`);
    distributed.push(sweep(project.root, ["--on", "workers"]));
    console.log(`  round ${round}: 2 workers                  ${distributed.at(-1)!.toFixed(1)} s   (${load()})`);
  }
  const total = (times: number[]): number => times.reduce((a, b) => a + b, 0);
  const ratios = distributed.map((d, i) => (d / sequential[i]!).toFixed(2)).join(", ");
  console.log(
    `ratio 2 workers / 1 process: ${(total(distributed) / total(sequential)).toFixed(2)} over all rounds (per round ${ratios}; goal ≤ 0.6)`,
  );
} finally {
  for (const worker of workers) worker.kill("SIGTERM");
  await Promise.all(
    workers.map((w) => new Promise((resolve) => (w.exitCode === null ? w.once("exit", resolve) : resolve(null)))),
  );
  await redis.stop();
  project.remove();
}
