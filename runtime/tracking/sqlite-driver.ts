/**
 * The SQLite driver behind the tracking database: libsql, whose native binary comes prebuilt from
 * the npm registry (no compile on install). It has better-sqlite3's API with a few differences this
 * wrapper hides, so the stores see plain rows and better-sqlite3's semantics: a row from `get`
 * carries no `_metadata` field, `pragma(…, { simple: true })` gives the value (not a row), a
 * transaction inside a transaction is a savepoint, binding a boolean throws a TypeError (libsql
 * 0.5 aborts the process), and a closed database refuses its statements.
 */
import Libsql from "libsql";

/** A compiled statement; rows are plain objects of their columns. */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/** A function run in a transaction: called directly (deferred) or through the mode that begins it. */
export interface Transaction<A extends unknown[], R> {
  (...args: A): R;
  deferred(...args: A): R;
  immediate(...args: A): R;
  exclusive(...args: A): R;
}

/** The field libsql adds to each row that `get` returns (the query's duration). */
const METADATA = "_metadata";

const CLOSED = "The database connection is not open";

/** Throws better-sqlite3's TypeError for a value SQLite cannot bind, where libsql would abort the process. */
function checkBindable(params: unknown[]): unknown[] {
  for (const value of params) {
    if (typeof value === "boolean")
      throw new TypeError("SQLite3 can only bind numbers, strings, bigints, buffers, and null");
  }
  return params;
}

class Statement implements SqliteStatement {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly inner: Libsql.Statement,
  ) {}

  // The parameters go to libsql as one array: it binds an array positionally, where a single `null` argument would be taken for named parameters.
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint } {
    this.db.assertOpen();
    const { changes, lastInsertRowid } = this.inner.run(checkBindable(params));
    return { changes, lastInsertRowid };
  }

  get(...params: unknown[]): unknown {
    this.db.assertOpen();
    const row = this.inner.get(checkBindable(params)) as Record<string, unknown> | undefined;
    if (row !== undefined) delete row[METADATA];
    return row;
  }

  all(...params: unknown[]): unknown[] {
    this.db.assertOpen();
    return this.inner.all(checkBindable(params));
  }
}

/** An open SQLite database (one connection). */
export class SqliteDatabase {
  private readonly connection: Libsql.Database;
  private savepoints = 0;

  /** Opens (creating if needed) the database file at `path`; a write waits up to `busyTimeoutMs` for another connection's lock. */
  constructor(path: string, options: { busyTimeoutMs: number }) {
    this.connection = new Libsql(path, { timeout: options.busyTimeoutMs });
  }

  /** False once closed. */
  get open(): boolean {
    return this.connection.open;
  }

  /** True inside a transaction. */
  get inTransaction(): boolean {
    return this.open && this.connection.inTransaction;
  }

  /** Throws better-sqlite3's TypeError once the database is closed. */
  assertOpen(): void {
    if (!this.open) throw new TypeError(CLOSED);
  }

  /** Compiles one SQL statement. */
  prepare(sql: string): SqliteStatement {
    this.assertOpen();
    return new Statement(this, this.connection.prepare(sql));
  }

  /** Runs SQL text of any number of statements, without parameters. */
  exec(sql: string): void {
    this.assertOpen();
    this.connection.exec(sql);
  }

  /** Runs `PRAGMA source`: its rows, or with `simple` the first column of the first row. */
  pragma(source: string, options: { simple?: boolean } = {}): unknown {
    const statement = this.prepare(`PRAGMA ${source}`);
    if (options.simple !== true) return statement.all();
    const row = statement.get() as Record<string, unknown> | undefined;
    return row === undefined ? undefined : Object.values(row)[0];
  }

  /** Wraps `fn` so each call runs in one transaction, committed when it returns and rolled back when it throws. */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): Transaction<A, R> {
    const inMode =
      (mode: string) =>
      (...args: A): R =>
        this.runInTransaction(mode, fn, args);
    return Object.assign(inMode("DEFERRED"), {
      deferred: inMode("DEFERRED"),
      immediate: inMode("IMMEDIATE"),
      exclusive: inMode("EXCLUSIVE"),
    });
  }

  private runInTransaction<A extends unknown[], R>(mode: string, fn: (...args: A) => R, args: A): R {
    // Inside a transaction, a savepoint: the inner one can fail alone, as with better-sqlite3.
    const savepoint = this.inTransaction ? `cellforge_${++this.savepoints}` : undefined;
    this.exec(savepoint === undefined ? `BEGIN ${mode}` : `SAVEPOINT ${savepoint}`);
    try {
      const result = fn(...args);
      if (result instanceof Promise) throw new TypeError("Transaction function cannot return a promise");
      this.exec(savepoint === undefined ? "COMMIT" : `RELEASE ${savepoint}`);
      return result;
    } catch (error) {
      // SQLite may have rolled back already (e.g. a full disk); a second ROLLBACK would hide the first error.
      if (this.inTransaction)
        this.exec(savepoint === undefined ? "ROLLBACK" : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      throw error;
    } finally {
      if (savepoint !== undefined) this.savepoints--;
    }
  }

  /**
   * Closes the connection. libsql 0.5 frees the file handle only once the statements prepared on
   * it are garbage-collected; until then other processes are unaffected (WAL), and its statements
   * refuse to run here.
   */
  close(): void {
    if (this.open) this.connection.close();
  }
}
