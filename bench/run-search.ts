// Run search over many runs: `cellforge runs list --filter` before (every run read, then filtered in memory) and now (the filter evaluated in SQLite by searchRuns).
// npx tsx bench/run-search.ts [--runs 5000]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { openStores } from "../runtime/stores/store-backends.ts";
import { matchesRunFilter, readRunFilter } from "../runtime/tracking/run-filter.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5000" } } });
const count = Number(values.runs);
const folder = mkdtempSync(join(tmpdir(), "cellforge-run-search-"));
const stores = await openStores(`sqlite:${join(folder, "tracking.db")}`, { reconcile: false });

/** Median milliseconds of `times` calls of `work`. */
async function median(times: number, work: () => Promise<unknown>): Promise<number> {
  const took: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await work();
    took.push(performance.now() - start);
  }
  return took.sort((a, b) => a - b)[Math.floor(times / 2)]!;
}

try {
  for (let i = 0; i < count; i++) {
    const run = await stores.tracking.createRun({
      experiment: "bench",
      pipeline: "train",
      params: { epochs: 10 + (i % 7), optimizer: i % 2 === 0 ? "adam" : "sgd" },
      tags: { team: i % 3 === 0 ? "dex" : "lab" },
      gitCommit: undefined,
      gitDirty: undefined,
      process: { pid: process.pid, host: "bench", start: undefined },
    });
    await stores.tracking.logMetric(run.id, "accuracy", (i % 100) / 100, 1);
    await stores.tracking.logMetric(run.id, "loss", 1 - (i % 100) / 100, 1);
    await stores.tracking.endRun(run.id, i % 5 === 0 ? "FAILED" : "FINISHED");
  }
  const filter = readRunFilter(
    "metrics.accuracy > 0.9 and params.epochs = 12 and tags.team = dex and status = FINISHED",
  );
  let matched = 0;
  const inMemory = await median(
    7,
    async () => (matched = (await stores.tracking.listRuns()).filter((run) => matchesRunFilter(run, filter)).length),
  );
  let found = 0;
  const pushed = await median(7, async () => (found = (await stores.tracking.searchRuns({ filter })).length));
  if (found !== matched) throw new Error(`searchRuns found ${found} runs, the in-memory filter ${matched}`);
  console.log(
    `${count} runs, ${found} match: every run read and filtered in memory ${inMemory.toFixed(1)} ms, searchRuns ${pushed.toFixed(1)} ms (${(inMemory / pushed).toFixed(1)}× faster)`,
  );
} finally {
  await stores.close();
  rmSync(folder, { recursive: true, force: true });
}
