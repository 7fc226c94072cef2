// Prints the tracking store's speed on a real SQLite file: 100k raw inserts in one transaction, metric points
// logged one call (one transaction) each as a training loop does, runs created, and the runs list over them.
// Uses only the store's API and its database's prepare/transaction, so the same file measures any driver.
// Run: npx tsx bench/store.ts   (RUNS=10000 for a bigger runs list)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { currentProcess } from "../runtime/tracking/process-identity.ts";
import { SqliteTrackingStore } from "../runtime/tracking/sqlite-store.ts";

const runs = Number(process.env["RUNS"] ?? 2000);
const folder = mkdtempSync(join(tmpdir(), "cellforge-bench-store-"));
const store = SqliteTrackingStore.open(join(folder, "tracking.db"));

/** Seconds `work` takes. */
async function timed(work: () => unknown): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

try {
  const newRun = () =>
    store.createRun({
      experiment: "bench",
      pipeline: "train",
      params: { epochs: 40 },
      tags: {},
      gitCommit: undefined,
      gitDirty: undefined,
      process: currentProcess(),
    });
  const { id } = await newRun();
  const rows: [string, number][] = [];
  store.db.exec("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, name TEXT, value REAL)");
  const insert = store.db.prepare("INSERT INTO bench_rows (name, value) VALUES (?, ?)");
  rows.push([
    "100k inserts, one transaction",
    await timed(() =>
      store.db
        .transaction(() => {
          for (let i = 0; i < 100_000; i++) insert.run(`row ${i}`, i / 7);
        })
        .immediate(),
    ),
  ]);
  rows.push([
    "5k logMetric calls",
    await timed(async () => {
      for (let step = 0; step < 5000; step++) await store.logMetric(id, "loss", 1 / (step + 1), step);
    }),
  ]);
  rows.push([
    `${runs} createRun calls`,
    await timed(async () => {
      for (let i = 1; i < runs; i++) await newRun();
    }),
  ]);
  rows.push([`runs list (${runs} runs)`, await timed(() => store.listRuns())]);
  rows.push(["getRun with 5k metric points", await timed(() => store.getRun(id))]);
  for (const [name, seconds] of rows) console.log(`${name.padEnd(32)} ${seconds.toFixed(3)} s`);
} finally {
  await store.close();
  rmSync(folder, { recursive: true, force: true });
}
