/** The SQLite tracking store: the default, one file in the project. */
import { RUN_COLUMNS, runQueryCondition } from "./sql-run-filter.ts";
import { randomUUID } from "node:crypto";
import { currentProcess, isProcessAlive } from "./process-identity.ts";
import { openSqliteDatabase, preparedStatements, type SqliteDatabase } from "./sqlite-database.ts";
import { SqliteLocks } from "./sqlite-locks.ts";
import { matchesRunFilter, type RunFieldNames } from "./run-filter.ts";
import { sqliteRunFilter, type SqlCondition } from "./sqlite-run-filter.ts";
import {
  AmbiguousRunIdError,
  type ArtifactRecord,
  type DatasetInputRecord,
  type HeldLock,
  type LogRecord,
  type MetricPoint,
  type NewRun,
  type ProcessIdentity,
  type RunDetails,
  type RunInfo,
  type RunQuery,
  type RunSearch,
  type RunStatus,
  type TrackingStore,
} from "./store.ts";

interface RunRow {
  id: string;
  experiment: string;
  pipeline: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  git_commit: string | null;
  git_dirty: number | null;
  params: string;
  tags: string;
  error: string | null;
}

/** A JSON path of json_tree (`$.a."b c"[0]`) as the dotted path a run filter writes (`a.b c.0`). */
function dottedPath(fullKey: string): string {
  const segments: string[] = [];
  for (const match of fullKey.slice(1).matchAll(/\.(?:"((?:[^"\\]|\\.)*)"|([^.[]+))|\[(\d+)\]/g))
    segments.push(match[1] ?? match[2] ?? match[3]!);
  return segments.join(".");
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  return JSON.parse(text) as T;
}

/** A tracking store in one SQLite file; safe to use from several processes at once. */
export class SqliteTrackingStore implements TrackingStore {
  /**
   * Opens the store in the SQLite file at `path` (created and migrated if needed). With
   * `reconcile`, every read first marks KILLED the RUNNING runs whose process `reconcile` says is
   * gone, so a long-lived reader (the web UI) never shows a killed run as RUNNING.
   */
  static open(
    path: string,
    options: { reconcile?: (process: ProcessIdentity) => boolean | undefined } = {},
  ): SqliteTrackingStore {
    return new SqliteTrackingStore(openSqliteDatabase(path), true, options.reconcile);
  }

  /** The compiled statement for a SQL text, prepared on first use. */
  private readonly statement: ReturnType<typeof preparedStatements>;
  private readonly locks: SqliteLocks;

  /** Wraps an open database; `owned` closes it with the store. */
  constructor(
    readonly db: SqliteDatabase,
    private readonly owned = false,
    private readonly reconcile?: (process: ProcessIdentity) => boolean | undefined,
  ) {
    this.statement = preparedStatements(db);
    this.locks = new SqliteLocks(db, currentProcess(), isProcessAlive);
  }

  async lock(name: string, options: { waitMs?: number } = {}): Promise<HeldLock> {
    return this.locks.acquire(name, options);
  }

  /** Ends the runs a dead process left RUNNING, before a read shows them. */
  private async reconcileRuns(): Promise<void> {
    if (this.reconcile !== undefined) await this.markAbandonedRuns(this.reconcile);
  }

  /** The latest value of each metric of each of `runIds`, in one query; a run without metrics gets `{}`. */
  private latestMetrics(runIds: readonly string[]): Map<string, Record<string, number>> {
    const entries = new Map<string, [string, number][]>(runIds.map((id) => [id, []]));
    if (runIds.length > 0) {
      // The ids go in as one JSON array rather than one placeholder each: a single statement for any count, and no SQLite variable limit.
      const rows = this.statement(
        "SELECT run_id, key, value FROM latest_metrics WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY step > 0, key",
      ).all(JSON.stringify(runIds)) as {
        run_id: string;
        key: string;
        value: number | null;
      }[];
      for (const row of rows) entries.get(row.run_id)?.push([row.key, row.value ?? Number.NaN]);
    }
    return new Map([...entries].map(([id, metrics]) => [id, Object.fromEntries(metrics)]));
  }

  private toRunInfo(row: RunRow, metrics: Record<string, number>): RunInfo {
    return {
      id: row.id,
      experiment: row.experiment,
      pipeline: row.pipeline,
      status: row.status,
      startTime: row.start_time,
      endTime: row.end_time ?? undefined,
      gitCommit: row.git_commit ?? undefined,
      gitDirty: row.git_dirty === null ? undefined : row.git_dirty === 1,
      params: parseJson(row.params, {}),
      tags: parseJson(row.tags, {}),
      error: row.error ?? undefined,
      metrics,
    };
  }

  private experimentId(name: string): number {
    this.statement("INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)").run(name, Date.now());
    return (this.statement("SELECT id FROM experiments WHERE name = ?").get(name) as { id: number }).id;
  }

  async createRun(run: NewRun): Promise<RunInfo> {
    const id = randomUUID().replace(/-/g, "");
    const startTime = Date.now();
    this.db
      .transaction(() => {
        const experimentId = this.experimentId(run.experiment);
        this.statement(
          `INSERT INTO runs (id, experiment_id, pipeline, status, start_time, git_commit, git_dirty, params, tags, pid, host, process_start)
         VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          id,
          experimentId,
          run.pipeline,
          startTime,
          run.gitCommit ?? null,
          run.gitDirty === undefined ? null : Number(run.gitDirty),
          JSON.stringify(run.params),
          JSON.stringify(run.tags),
          run.process.pid,
          run.process.host,
          run.process.start ?? null,
        );
      })
      .immediate();
    return (await this.getRun(id))!;
  }

  async endRun(id: string, status: Exclude<RunStatus, "RUNNING">, error?: string): Promise<void> {
    this.statement("UPDATE runs SET status = ?, end_time = ?, error = ? WHERE id = ? AND status = 'RUNNING'").run(
      status,
      Date.now(),
      error ?? null,
      id,
    );
  }

  async logMetric(runId: string, key: string, value: number, step = 0): Promise<void> {
    const timestamp = Date.now();
    const stored = Number.isNaN(value) ? null : value;
    this.db
      .transaction(() => {
        this.statement("INSERT INTO metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?)").run(
          runId,
          key,
          stored,
          step,
          timestamp,
        );
        this.statement(
          `INSERT INTO latest_metrics (run_id, key, value, step, timestamp) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value, step = excluded.step, timestamp = excluded.timestamp
         WHERE excluded.step >= latest_metrics.step`,
        ).run(runId, key, stored, step, timestamp);
      })
      .immediate();
  }

  async logArtifact(runId: string, artifact: ArtifactRecord): Promise<void> {
    const insert = this.statement(
      "INSERT OR REPLACE INTO artifacts (run_id, path, sha256, size, dataset, copy) VALUES (?, ?, ?, ?, ?, ?)",
    );
    insert.run(runId, artifact.path, artifact.sha256, artifact.size, artifact.dataset ?? null, artifact.copy ?? null);
  }

  async logInput(runId: string, input: DatasetInputRecord): Promise<void> {
    this.statement(
      `INSERT INTO run_inputs (run_id, name, digest, rows, path) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, name) DO UPDATE SET digest = excluded.digest, rows = coalesce(excluded.rows, run_inputs.rows), path = excluded.path`,
    ).run(runId, input.name, input.digest, input.rows ?? null, input.path ?? null);
  }

  async logMessage(runId: string, record: LogRecord): Promise<void> {
    const insert = this.statement(
      "INSERT INTO run_logs (run_id, node, level, message, timestamp) VALUES (?, ?, ?, ?, ?)",
    );
    insert.run(runId, record.node ?? null, record.level, record.message, record.timestamp);
  }

  async getRun(idOrPrefix: string): Promise<RunDetails | undefined> {
    await this.reconcileRuns();
    const prefix = idOrPrefix.toLowerCase().replace(/[^0-9a-f]/g, "");
    if (prefix === "") return undefined;
    const ids = (
      this.statement("SELECT id FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT 6").all(prefix, `${prefix}g`) as {
        id: string;
      }[]
    ).map((r) => r.id);
    if (ids.length === 0) return undefined;
    const exact = ids.find((id) => id === prefix);
    if (exact === undefined && ids.length > 1) throw new AmbiguousRunIdError(idOrPrefix, ids);
    const id = exact ?? ids[0]!;
    const row = this.statement(
      `SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id WHERE r.id = ?`,
    ).get(id) as RunRow;
    const metricHistory = (
      this.statement(
        "SELECT key, value, step, timestamp FROM metrics WHERE run_id = ? ORDER BY key, step, timestamp, rowid",
      ).all(id) as (Omit<MetricPoint, "value"> & { value: number | null })[]
    ).map((m) => ({ ...m, value: m.value ?? Number.NaN }));
    const artifacts = (
      this.statement("SELECT path, sha256, size, dataset, copy FROM artifacts WHERE run_id = ? ORDER BY path").all(
        id,
      ) as (Omit<ArtifactRecord, "dataset" | "copy"> & { dataset: string | null; copy: string | null })[]
    ).map(({ copy, ...a }) => ({ ...a, dataset: a.dataset ?? undefined, ...(copy === null ? {} : { copy }) }));
    const inputs = (
      this.statement("SELECT name, digest, rows, path FROM run_inputs WHERE run_id = ? ORDER BY name").all(id) as {
        name: string;
        digest: string;
        rows: number | null;
        path: string | null;
      }[]
    ).map((i) => ({ name: i.name, digest: i.digest, rows: i.rows ?? undefined, path: i.path ?? undefined }));
    const logs = (
      this.statement(
        "SELECT node, level, message, timestamp FROM run_logs WHERE run_id = ? ORDER BY timestamp, rowid",
      ).all(id) as (Omit<LogRecord, "node"> & { node: string | null })[]
    ).map((l) => ({ ...l, node: l.node ?? undefined }));
    return { ...this.toRunInfo(row, this.latestMetrics([id]).get(id)!), metricHistory, artifacts, inputs, logs };
  }

  /** Runs meeting `condition`, newest first, `limit` of them from `offset`. */
  private selectRuns(condition: SqlCondition, limit: number | undefined, offset = 0): RunInfo[] {
    const args = [...condition.args];
    // The limit is bound, not written into the SQL, so there is one cached statement per combination of filters rather than one per limit.
    if (limit !== undefined) args.push(Math.max(0, Math.floor(limit)), offset);
    const sql =
      `SELECT ${RUN_COLUMNS} FROM runs r JOIN experiments e ON e.id = r.experiment_id` +
      (condition.sql !== "" ? ` WHERE ${condition.sql}` : "") +
      " ORDER BY r.start_time DESC, r.rowid DESC" +
      (limit !== undefined ? " LIMIT ? OFFSET ?" : "");
    const rows = this.statement(sql).all(...args) as RunRow[];
    const metrics = this.latestMetrics(rows.map((row) => row.id));
    return rows.map((row) => this.toRunInfo(row, metrics.get(row.id)!));
  }

  async listRuns(query: RunQuery = {}): Promise<RunInfo[]> {
    await this.reconcileRuns();
    return this.selectRuns(runQueryCondition(query), query.limit);
  }

  async searchRuns(search: RunSearch): Promise<RunInfo[]> {
    await this.reconcileRuns();
    const filter = search.filter ?? { kind: "and", items: [] };
    const base = runQueryCondition(search);
    const pushed = sqliteRunFilter(filter);
    const condition = {
      sql: [base.sql, pushed.sql === "1" ? "" : pushed.sql].filter((part) => part !== "").join(" AND "),
      args: [...base.args, ...pushed.args],
    };
    // The database keeps every matching run and, in rare cases (run filter notes), a few that do not: the rows read are checked here, page by page up to the limit.
    if (search.limit === undefined)
      return this.selectRuns(condition, undefined).filter((run) => matchesRunFilter(run, filter));
    const limit = Math.max(0, Math.floor(search.limit));
    const found: RunInfo[] = [];
    for (let offset = 0; found.length < limit; offset += limit) {
      const page = this.selectRuns(condition, limit, offset);
      found.push(...page.filter((run) => matchesRunFilter(run, filter)));
      if (page.length < limit) break;
    }
    return found.slice(0, limit);
  }

  async runFieldNames(query: Omit<RunQuery, "limit"> = {}): Promise<RunFieldNames> {
    const base = runQueryCondition(query);
    const where = base.sql === "" ? "" : ` WHERE ${base.sql}`;
    const runs = "runs r JOIN experiments e ON e.id = r.experiment_id";
    const column = (sql: string): string[] =>
      (this.statement(sql).all(...base.args) as { name: string }[]).map((row) => row.name);
    const metrics = column(
      `SELECT DISTINCT lm.key AS name FROM ${runs} JOIN latest_metrics lm ON lm.run_id = r.id${where}`,
    ).sort();
    const params = column(`SELECT DISTINCT j.key AS name FROM ${runs}, json_each(r.params) j${where}`).sort();
    const fullKeys = column(
      `SELECT DISTINCT j.fullkey AS name FROM ${runs}, json_tree(r.params) j${where ? `${where} AND` : " WHERE"} j.fullkey != '$'`,
    );
    return { metrics, params, paramPaths: [...new Set(fullKeys.map(dottedPath))].sort() };
  }

  async markAbandonedRuns(isAlive: (process: ProcessIdentity) => boolean | undefined): Promise<string[]> {
    const running = this.statement("SELECT id, pid, host, process_start FROM runs WHERE status = 'RUNNING'").all() as {
      id: string;
      pid: number | null;
      host: string | null;
      process_start: string | null;
    }[];
    const abandoned = running.filter(
      (r) =>
        r.pid !== null &&
        r.host !== null &&
        isAlive({ pid: r.pid, host: r.host, start: r.process_start ?? undefined }) === false,
    );
    for (const run of abandoned) {
      await this.endRun(
        run.id,
        "KILLED",
        `The process running it (pid ${run.pid} on ${run.host}) ended without finishing the run (killed?).`,
      );
    }
    return abandoned.map((r) => r.id);
  }

  async close(): Promise<void> {
    if (this.owned && this.db.open) this.db.close();
  }
}
