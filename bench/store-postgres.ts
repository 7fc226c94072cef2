// The runs list with 10k runs in the store, the embedded SQLite file vs PostgreSQL (a throwaway local
// cluster, as the tests start), side by side: the first page, every run, and a filtered search. Then
// PostgreSQL's first page as the store reads it (one query) against the two round trips it took before
// (the runs, then their metrics), alternating in this run, with the machine's load beside them.
// Run: npx tsx bench/store-postgres.ts [--runs 10000]   (needs Debian's postgresql package)
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { openStores } from "../runtime/stores/store-backends.ts";
import type { Stores } from "../runtime/stores/stores.ts";
import { readRunFilter } from "../runtime/tracking/run-filter.ts";
import { postgresMissing, startPostgres } from "../tests/runtime/stores/postgres-server.ts";

const { values } = parseArgs({ options: { runs: { type: "string", default: "10000" } } });
const count = Number(values.runs);
const me = { pid: process.pid, host: "bench", start: undefined };

/** Records `count` runs, `parallel` at a time (a network store is bound by round trips, not by its work). */
async function fill(stores: Stores, parallel: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const run = await stores.tracking.createRun({
        experiment: "bench",
        pipeline: "train",
        params: { epochs: 10 + (i % 7), optimizer: i % 2 === 0 ? "adam" : "sgd" },
        tags: { team: i % 3 === 0 ? "dex" : "lab" },
        gitCommit: undefined,
        gitDirty: undefined,
        process: me,
      });
      await stores.tracking.logMetric(run.id, "accuracy", (i % 100) / 100, 1);
      await stores.tracking.endRun(run.id, i % 5 === 0 ? "FAILED" : "FINISHED");
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/** The median of 5 timings of `work`, in milliseconds. */
async function median(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[2]!;
}

async function measure(stores: Stores): Promise<Record<string, number>> {
  const filter = readRunFilter(
    "metrics.accuracy > 0.9 and (params.epochs = 12 or tags.team = 'dex') and status = finished",
  );
  return {
    "runs list (first 20)": await median(() => stores.tracking.listRuns({ limit: 20 })),
    [`runs list (all ${count})`]: await median(() => stores.tracking.listRuns()),
    "filtered search (AND/OR)": await median(() => stores.tracking.searchRuns({ filter })),
  };
}

/** Runs as the PostgreSQL store read them before: the runs (the first `limit`, or all), then their latest metrics (two round trips). */
async function runsInTwoQueries(pool: pg.Pool, limit: number | null): Promise<number> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT r.id, e.name AS experiment, r.pipeline, r.status, r.start_time, r.end_time, r.git_commit, r.git_dirty, r.params, r.tags, r.error
     FROM runs r JOIN experiments e ON e.id = r.experiment_id ORDER BY r.start_time DESC, r.seq DESC LIMIT $1 OFFSET $2`,
    [limit, 0],
  );
  const metrics = await pool.query(
    'SELECT run_id, key, value FROM latest_metrics WHERE run_id = ANY($1::text[]) ORDER BY step > 0, key COLLATE "C"',
    [rows.map((row) => row.id)],
  );
  return rows.length + metrics.rows.length;
}

/** Medians of `rounds` timings of `before` and `after`, taken in turn (before, after, before…) so load hits both alike. */
async function alternating(
  before: () => Promise<unknown>,
  after: () => Promise<unknown>,
  rounds = 31,
): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < rounds; i++) {
    for (const [k, work] of [before, after].entries()) {
      const started = performance.now();
      await work();
      times[k]!.push(performance.now() - started);
    }
  }
  const mid = (list: number[]): number => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
  return [mid(times[0]), mid(times[1])];
}

if (postgresMissing !== undefined) {
  console.log(postgresMissing);
  process.exit(0);
}
const folder = mkdtempSync(join(tmpdir(), "cellforge-bench-store-"));
const postgres = await startPostgres();
try {
  const sqlite = await openStores(`sqlite:${join(folder, "tracking.db")}`, { reconcile: false });
  const teamUri = await postgres.createDatabase();
  const team = await openStores(teamUri, { reconcile: false });
  let started = performance.now();
  await fill(sqlite, 1);
  console.log(`recorded ${count} runs: embedded ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await fill(team, 8);
  console.log(
    `recorded ${count} runs: PostgreSQL (8 at a time) ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const embedded = await measure(sqlite);
  const network = await measure(team);
  console.log(`${"".padEnd(28)}${"embedded".padStart(12)}${"PostgreSQL".padStart(12)}${"ratio".padStart(8)}`);
  for (const [name, ms] of Object.entries(embedded)) {
    const other = network[name]!;
    console.log(
      `${name.padEnd(28)}${`${ms.toFixed(1)} ms`.padStart(12)}${`${other.toFixed(1)} ms`.padStart(12)}${`×${(other / ms).toFixed(2)}`.padStart(8)}`,
    );
  }
  // A pool of its own for the old two-query read, warmed like the store's.
  const pool = new pg.Pool({ connectionString: teamUri, max: 2 });
  await runsInTwoQueries(pool, 20);
  // Every run stays two queries: one query with a metrics subquery per run measured ×2.44 slower here.
  for (const [name, limit, rounds] of [["first page", 20, 31]] as const) {
    const [before, after] = await alternating(
      () => runsInTwoQueries(pool, limit),
      () => team.tracking.listRuns(limit === null ? {} : { limit }),
      rounds,
    );
    console.log(
      `PostgreSQL ${name}: two queries (before) ${before.toFixed(2)} ms, one query (now) ${after.toFixed(2)} ms, ` +
        `ratio ×${(after / before).toFixed(2)} (medians of ${rounds}, alternating; load ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")})`,
    );
  }
  await pool.end();
  await sqlite.close();
  await team.close();
} finally {
  postgres.stop();
  rmSync(folder, { recursive: true, force: true });
}
