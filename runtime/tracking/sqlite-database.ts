/**
 * Opens the SQLite tracking database: WAL mode and a busy timeout so several processes can write
 * at once, foreign keys on, and pending schema migrations applied (once, under a write lock).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { SqliteDatabase, type SqliteStatement } from "./sqlite-driver.ts";
import { migrations } from "./sqlite-migrations.ts";

export type { SqliteDatabase, SqliteStatement } from "./sqlite-driver.ts";

/**
 * A function giving the compiled statement for a SQL text, prepared on first use and kept: the driver does not
 * cache statements, and compiling one costs more than most of the stores' queries.
 */
export function preparedStatements(db: SqliteDatabase): (sql: string) => SqliteStatement {
  const statements = new Map<string, SqliteStatement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

/** How long a writer waits for another process's write lock before failing. */
const BUSY_TIMEOUT_MS = 15_000;

/** The schema version this code expects. */
export const SCHEMA_VERSION = migrations.at(-1)!.version;

/** Raised when the database was written by a newer cellforge. */
export class SchemaVersionError extends Error {
  readonly code = "TRACKING_SCHEMA";
  constructor(path: string, found: number) {
    super(
      `The tracking database ${path} has schema version ${found}, newer than this cellforge knows (${SCHEMA_VERSION}); upgrade @cellforge/runtime.`,
    );
    this.name = "SchemaVersionError";
  }
}

function userVersion(db: SqliteDatabase): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Applies the migrations newer than the database's user_version. */
function migrate(db: SqliteDatabase, path: string): void {
  if (userVersion(db) > SCHEMA_VERSION) throw new SchemaVersionError(path, userVersion(db));
  for (const migration of migrations) {
    if (userVersion(db) >= migration.version) continue;
    // IMMEDIATE takes the write lock first, so two processes cannot both apply a migration.
    db.transaction(() => {
      if (userVersion(db) >= migration.version) return;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}

/** Whether `error` is SQLite's "database is locked" (SQLITE_BUSY or one of its extended codes). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/** Blocks the thread for `ms`, as SQLite's own busy handler does while it waits for a lock. */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Puts the database in WAL mode (a no-op once it is). The first switch, on a new file, takes the write lock
 * from within a read: when another process holds the write lock meanwhile (another first opener switching
 * it too), SQLite answers SQLITE_BUSY at once instead of calling the busy handler, since waiting with a read
 * lock held could deadlock. So the switch is retried here, up to the busy timeout.
 */
function useWriteAheadLog(db: SqliteDatabase): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    sleepSync(pause);
  }
}

/** Opens (creating if needed) the SQLite database at `path`, migrated to the current schema. */
export function openSqliteDatabase(path: string): SqliteDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  // The busy timeout is set as the connection opens, before any statement below.
  const db = new SqliteDatabase(path, { busyTimeoutMs: BUSY_TIMEOUT_MS });
  useWriteAheadLog(db);
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  migrate(db, path);
  return db;
}
