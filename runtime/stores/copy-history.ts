/**
 * Copies a local SQLite tracking history into a team's PostgreSQL store (`cellforge tracking
 * migrate`): experiments, runs with their metrics, artifacts' records, inputs and logs, model
 * versions and aliases. Idempotent: a run, version or alias already there is left as it is, so a
 * second copy adds nothing; each run is copied in one transaction, whole or not at all. A version whose
 * number the team store already gives to another run's model is not copied (nor its aliases) and reported.
 */
import { existsSync } from "node:fs";
import { openSqliteDatabase, type SqliteDatabase } from "../tracking/sqlite-database.ts";
import { PostgresDatabase } from "../tracking/postgres-database.ts";
import { sqliteUriPath } from "../tracking/tracking-settings.ts";
import { maskUri } from "../tracking/masked-uri.ts";

/** What a copy did. */
export interface CopySummary {
  runs: number;
  runsAlreadyThere: number;
  modelVersions: number;
  modelVersionsAlreadyThere: number;
  /** Versions whose number the team store already gives to another run's model: not copied, nor their aliases. */
  modelVersionConflicts: { name: string; version: number; run: string; teamRun: string }[];
  aliases: number;
}

/** The source or target of a copy is not one it can use. */
export class HistoryCopyError extends Error {
  readonly code = "HISTORY_COPY";
  constructor(message: string) {
    super(message);
    this.name = "HistoryCopyError";
  }
}

type Row = Record<string, unknown>;

function rows(db: SqliteDatabase, sql: string, ...args: unknown[]): Row[] {
  return (db.prepare(sql).all(...args) as Row[]).map(({ _metadata: _ignored, ...row }) => row);
}

async function copyRuns(source: SqliteDatabase, target: PostgresDatabase, summary: CopySummary): Promise<void> {
  const runs = rows(
    source,
    "SELECT r.*, e.name AS experiment, e.created_at AS experiment_created FROM runs r JOIN experiments e ON e.id = r.experiment_id ORDER BY r.rowid",
  );
  for (const run of runs) {
    const copied = await target.transaction(async (db) => {
      await db.query("INSERT INTO experiments (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [
        run.experiment,
        run.experiment_created,
      ]);
      const inserted = await db.query(
        `INSERT INTO runs (id, experiment_id, pipeline, status, start_time, end_time, git_commit, git_dirty, params, tags, error, pid, host, process_start)
         SELECT $1, id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13 FROM experiments WHERE name = $14
         ON CONFLICT (id) DO NOTHING RETURNING id`,
        [
          run.id,
          run.pipeline,
          run.status,
          run.start_time,
          run.end_time,
          run.git_commit,
          run.git_dirty === null ? null : run.git_dirty === 1,
          run.params,
          run.tags,
          run.error,
          run.pid,
          run.host,
          run.process_start,
          run.experiment,
        ],
      );
      if (inserted.length === 0) return false;
      const id = run.id;
      const bulk = async (table: string, columns: string, types: string, list: Row[]): Promise<void> => {
        if (list.length === 0) return;
        await db.query(
          `INSERT INTO ${table} (run_id, ${columns}) SELECT $1, ${columns} FROM json_to_recordset($2::json) AS x(${types})`,
          [id, JSON.stringify(list)],
        );
      };
      await bulk(
        "metrics",
        "key, value, step, timestamp",
        "key text, value double precision, step bigint, timestamp bigint",
        rows(source, "SELECT key, value, step, timestamp FROM metrics WHERE run_id = ? ORDER BY rowid", id),
      );
      await bulk(
        "latest_metrics",
        "key, value, step, timestamp",
        "key text, value double precision, step bigint, timestamp bigint",
        rows(source, "SELECT key, value, step, timestamp FROM latest_metrics WHERE run_id = ?", id),
      );
      await bulk(
        "artifacts",
        "path, sha256, size, dataset, copy",
        "path text, sha256 text, size bigint, dataset text, copy text",
        rows(source, "SELECT path, sha256, size, dataset, copy FROM artifacts WHERE run_id = ?", id),
      );
      await bulk(
        "run_inputs",
        "name, digest, rows, path",
        "name text, digest text, rows bigint, path text",
        rows(source, "SELECT name, digest, rows, path FROM run_inputs WHERE run_id = ?", id),
      );
      await bulk(
        "run_logs",
        "node, level, message, timestamp",
        "node text, level text, message text, timestamp bigint",
        rows(source, "SELECT node, level, message, timestamp FROM run_logs WHERE run_id = ? ORDER BY rowid", id),
      );
      return true;
    });
    if (copied) summary.runs++;
    else summary.runsAlreadyThere++;
  }
}

async function copyRegistry(source: SqliteDatabase, target: PostgresDatabase, summary: CopySummary): Promise<void> {
  for (const version of rows(source, "SELECT * FROM model_versions ORDER BY name, version")) {
    const inserted = await target.query(
      `INSERT INTO model_versions (name, version, run_id, created_at, artifacts, input_schema, output_schema, metrics, training_data_digest, inputs, predict_code_hash, predict_parameters)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (name, version) DO NOTHING RETURNING version`,
      [
        version.name,
        version.version,
        version.run_id,
        version.created_at,
        version.artifacts,
        version.input_schema,
        version.output_schema,
        version.metrics,
        version.training_data_digest,
        version.inputs,
        version.predict_code_hash,
        version.predict_parameters,
      ],
    );
    if (inserted.length > 0) {
      summary.modelVersions++;
      continue;
    }
    const [there] = await target.query<{ run_id: string }>(
      "SELECT run_id FROM model_versions WHERE name = $1 AND version = $2",
      [version.name, version.version],
    );
    if (there?.run_id === version.run_id) summary.modelVersionsAlreadyThere++;
    else
      summary.modelVersionConflicts.push({
        name: String(version.name),
        version: Number(version.version),
        run: String(version.run_id),
        teamRun: String(there?.run_id),
      });
  }
  const conflicting = new Set(summary.modelVersionConflicts.map((c) => `${c.name}:${c.version}`));
  for (const alias of rows(source, "SELECT * FROM model_aliases ORDER BY name, alias")) {
    // An alias of a version the team store numbers differently would point at another model: not copied.
    if (conflicting.has(`${String(alias.name)}:${Number(alias.version)}`)) continue;
    // An alias the team store already has is the team's choice: kept.
    const inserted = await target.query(
      `INSERT INTO model_aliases (name, alias, version, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name, alias) DO NOTHING RETURNING alias`,
      [alias.name, alias.alias, alias.version, alias.updated_at],
    );
    summary.aliases += inserted.length;
  }
}

/** Copies the history in the SQLite file `from` (a path or `sqlite:` URI) into the PostgreSQL store `to`. */
export async function copyHistory(from: string, to: string): Promise<CopySummary> {
  const path = /^sqlite:/i.test(from) ? sqliteUriPath(from) : from;
  if (!existsSync(path))
    throw new HistoryCopyError(
      `No SQLite tracking file at ${path}: give --from the file to copy (by default .cellforge/tracking.db in the project).`,
    );
  if (!/^postgres(ql)?:\/\//i.test(to))
    throw new HistoryCopyError(
      `--to must be a PostgreSQL URI (postgresql://USER:PASSWORD@HOST:PORT/DATABASE), not \`${maskUri(to)}\`.`,
    );
  const source = openSqliteDatabase(path);
  try {
    const target = await PostgresDatabase.open(to);
    try {
      const summary: CopySummary = {
        runs: 0,
        runsAlreadyThere: 0,
        modelVersions: 0,
        modelVersionsAlreadyThere: 0,
        modelVersionConflicts: [],
        aliases: 0,
      };
      await copyRuns(source, target, summary);
      await copyRegistry(source, target, summary);
      return summary;
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}
