/**
 * The PostgreSQL schema: the same numbered migrations as sqlite-migrations.ts (each version the same
 * tables and columns), in PostgreSQL's types, plus the indexes the run filter and the runs list use.
 * `cellforge_schema` holds one row per migration applied.
 */
import type { Migration } from "./sqlite-migrations.ts";

/** Every migration in order; add new ones at the end (with their SQLite twin), never edit an applied one. */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "experiments, runs, metrics, artifacts, inputs, logs, node states",
    sql: `
      CREATE TABLE experiments (
        id BIGSERIAL PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        seq BIGSERIAL NOT NULL,
        experiment_id BIGINT NOT NULL REFERENCES experiments(id),
        pipeline TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('RUNNING', 'FINISHED', 'FAILED', 'KILLED')),
        start_time BIGINT NOT NULL,
        end_time BIGINT,
        git_commit TEXT,
        git_dirty BOOLEAN,
        params JSON NOT NULL DEFAULT '{}',
        tags JSON NOT NULL DEFAULT '{}',
        error TEXT,
        pid INTEGER,
        host TEXT,
        process_start TEXT
      );
      CREATE INDEX runs_by_start ON runs(start_time DESC, seq DESC);
      CREATE INDEX runs_by_status ON runs(status);
      CREATE INDEX runs_by_pipeline ON runs(pipeline, start_time DESC);
      CREATE INDEX runs_by_id_prefix ON runs(id text_pattern_ops);
      CREATE TABLE metrics (
        seq BIGSERIAL PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value DOUBLE PRECISION,
        step BIGINT NOT NULL DEFAULT 0,
        timestamp BIGINT NOT NULL
      );
      CREATE INDEX metrics_by_run ON metrics(run_id, key, step);
      CREATE TABLE latest_metrics (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value DOUBLE PRECISION,
        step BIGINT NOT NULL,
        timestamp BIGINT NOT NULL,
        PRIMARY KEY (run_id, key)
      );
      CREATE INDEX latest_metrics_by_value ON latest_metrics(key, value);
      CREATE TABLE artifacts (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size BIGINT NOT NULL,
        dataset TEXT,
        PRIMARY KEY (run_id, path)
      );
      CREATE TABLE run_inputs (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        digest TEXT NOT NULL,
        rows BIGINT,
        path TEXT,
        PRIMARY KEY (run_id, name)
      );
      CREATE TABLE run_logs (
        seq BIGSERIAL PRIMARY KEY,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        node TEXT,
        level TEXT NOT NULL,
        message TEXT NOT NULL,
        timestamp BIGINT NOT NULL
      );
      CREATE INDEX run_logs_by_run ON run_logs(run_id);
      CREATE TABLE node_states (
        pipeline TEXT NOT NULL,
        node TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        outputs TEXT NOT NULL,
        metrics TEXT NOT NULL,
        logged TEXT NOT NULL DEFAULT '[]',
        run_id TEXT,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (pipeline, node)
      );
    `,
  },
  {
    version: 2,
    description: "model registry: versions and aliases",
    sql: `
      CREATE TABLE model_versions (
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        run_id TEXT REFERENCES runs(id),
        created_at BIGINT NOT NULL,
        artifacts TEXT NOT NULL,
        input_schema TEXT NOT NULL,
        output_schema TEXT NOT NULL,
        metrics TEXT NOT NULL,
        training_data_digest TEXT,
        inputs TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (name, version)
      );
      CREATE TABLE model_aliases (
        name TEXT NOT NULL,
        alias TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (name, alias),
        FOREIGN KEY (name, version) REFERENCES model_versions(name, version)
      );
    `,
  },
  {
    version: 3,
    description: "each run's own copy of the files it saved; cross-process locks",
    sql: `
      ALTER TABLE artifacts ADD COLUMN copy TEXT;
      CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        token TEXT NOT NULL,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        process_start TEXT,
        acquired_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 4,
    description:
      "the predict code each model version was registered with (NULL for versions registered before: unknown)",
    sql: `
      ALTER TABLE model_versions ADD COLUMN predict_code_hash TEXT;
    `,
  },
  {
    version: 5,
    description:
      "the training run's values of the parameters each model version's predict code reads (NULL: it reads none, or registered before)",
    sql: `
      ALTER TABLE model_versions ADD COLUMN predict_parameters TEXT;
    `,
  },
];
