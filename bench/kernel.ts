/**
 * Kernel figures: tslab start-up time and the per-cell overhead of a trivial cell, each beside a
 * baseline measured in the same run. Run with `npx tsx bench/kernel.ts`.
 *
 * Baselines: start-up vs spawning `node -e 0` (the floor for any Node process, so the ratio is what
 * tslab's TypeScript compiler and ZeroMQ add); a trivial cell vs a kernel_info round trip on the same
 * kernel (shell request, reply, IOPub busy/idle, but no compilation, so the ratio is what compiling
 * and running a cell costs over the protocol itself).
 */
import { spawnSync } from "node:child_process";
import { Kernel } from "../runtime/kernel/kernel-client.ts";

const STARTS = 3;
const SPAWNS = 10;
const CELLS = 50;
const TRIVIAL_CELL = "1 + 1";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

async function timed(action: () => unknown): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

const ms = (value: number): string => (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(1)} ms`);
const ratio = (a: number, b: number): string => `${(a / b).toFixed(1)}×`;

const spawnTimes: number[] = [];
for (let i = 0; i < SPAWNS; i++) spawnTimes.push(await timed(() => spawnSync(process.execPath, ["-e", "0"])));

const startTimes: number[] = [];
const startKernel = async (): Promise<Kernel> => {
  const start = performance.now();
  const started = await Kernel.start({ cwd: process.cwd() });
  startTimes.push(performance.now() - start);
  return started;
};
for (let i = 0; i < STARTS - 1; i++) await (await startKernel()).shutdown();
const kernel = await startKernel();

try {
  // Warm both paths first: the first compilation loads TypeScript's checker state.
  for (let i = 0; i < 3; i++) {
    await kernel.execute(TRIVIAL_CELL, { onOutput: () => undefined });
    await kernel.requestInfo();
  }
  const cellTimes: number[] = [];
  const infoTimes: number[] = [];
  for (let i = 0; i < CELLS; i++) {
    cellTimes.push(await timed(() => kernel.execute(TRIVIAL_CELL, { onOutput: () => undefined })));
    infoTimes.push(await timed(() => kernel.requestInfo()));
  }
  const start = median(startTimes);
  const spawn = median(spawnTimes);
  const cell = median(cellTimes);
  const info = median(infoTimes);
  console.log(`kernel start-up, median of ${STARTS}:            ${ms(start)}`);
  console.log(`  baseline: spawn \`node -e 0\`, median of ${SPAWNS}:  ${ms(spawn)}   ratio ${ratio(start, spawn)}`);
  console.log(`trivial cell \`${TRIVIAL_CELL}\` round trip, median of ${CELLS}: ${ms(cell)}`);
  console.log(`  baseline: kernel_info round trip, median of ${CELLS}: ${ms(info)}   ratio ${ratio(cell, info)}`);
} finally {
  await kernel.shutdown();
}
