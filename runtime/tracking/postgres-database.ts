/**
 * The PostgreSQL database behind the team stores: a `pg` pool (credentials only from the URI or the
 * standard PG* variables), transactions, the numbered migrations applied on connect under an
 * advisory lock, and errors that name the store by its URI with the password masked.
 */
import pg from "pg";
import { maskUri } from "./masked-uri.ts";
import { postgresMigrations } from "./postgres-migrations.ts";

/** How many connections one process keeps open at most. */
const POOL_SIZE = 8;

/** The advisory lock key migrations are applied under (any constant shared by every cellforge). */
const MIGRATION_LOCK = 0x63656c6c; // "cell"

/** How long opening waits for another process's migrations before giving up. */
const MIGRATION_WAIT_MS = 60_000;

/** The PostgreSQL store cannot be used: unreachable, stopped, or its schema is not this code's. */
export class PostgresStoreError extends Error {
  constructor(
    readonly code: "STORE_UNREACHABLE" | "STORE_SCHEMA_NEWER" | "STORE_LOCK_TIMEOUT",
    message: string,
  ) {
    super(message);
    this.name = "PostgresStoreError";
  }
}

/** SQLSTATE classes and Node error codes that mean the server is gone, not that the query is wrong. */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (/^(08|57P0[1-4]|53300)/.test(code)) return true;
    if (["ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH"].includes(code))
      return true;
  }
  return /Connection terminated|connection to server|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}

/** One pooled connection's query function (inside a transaction, or the pool's own). */
export interface PostgresQueryable {
  query<Row>(sql: string, args?: readonly unknown[]): Promise<Row[]>;
}

/** The 64-bit integers (BIGINT, count) as JS numbers: every one cellforge stores is a time, a size or a count. */
const builtinParser = (oid: number): ((value: string) => unknown) =>
  pg.types.getTypeParser(oid, "text") as (value: string) => unknown;
const types = {
  getTypeParser: ((oid: number) =>
    oid === 20 ? (value: string) => Number(value) : builtinParser(oid)) as typeof pg.types.getTypeParser,
};

/** A pool on one PostgreSQL database. */
export class PostgresDatabase implements PostgresQueryable {
  private constructor(
    private readonly pool: pg.Pool,
    /** The URI with the password masked. */
    readonly shownUri: string,
  ) {}

  /** Connects to `uri` and applies the migrations it lacks; throws PostgresStoreError when it cannot. */
  static async open(uri: string): Promise<PostgresDatabase> {
    const pool = new pg.Pool({
      connectionString: uri,
      max: POOL_SIZE,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 10_000,
      types,
    });
    // An idle connection the server closes (restart, stop) must not crash the process: the next query reports it.
    pool.on("error", () => undefined);
    const database = new PostgresDatabase(pool, maskUri(uri));
    try {
      await database.migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
    return database;
  }

  /** `error` as the user should see it: a one-line PostgresStoreError when the server is gone, else itself. */
  explain(error: unknown): unknown {
    if (error instanceof PostgresStoreError || !isConnectionFailure(error)) return error;
    const reason = (error as Error).message.split("\n")[0]!.replace(/\.$/, "");
    return new PostgresStoreError(
      "STORE_UNREACHABLE",
      `Cannot reach the PostgreSQL tracking store at ${this.shownUri} (${reason}): start the server or fix CELLFORGE_TRACKING_URI / tracking.yml \`uri\`.`,
    );
  }

  async query<Row>(sql: string, args: readonly unknown[] = []): Promise<Row[]> {
    try {
      return (await this.pool.query(sql, args as unknown[])).rows as Row[];
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (db: PostgresQueryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.explain(error);
    }
    const db: PostgresQueryable = {
      query: async <Row>(sql: string, args: readonly unknown[] = []) =>
        (await client.query(sql, args as unknown[])).rows as Row[],
    };
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await work(db);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      broken = isConnectionFailure(error);
      if (!broken) await client.query("ROLLBACK").catch(() => undefined);
      throw this.explain(error);
    } finally {
      client.release(broken);
    }
  }

  /** Holds one connection for `work` (session-level advisory locks live on it); `release` gives it back. */
  async session(): Promise<{ db: PostgresQueryable; release(broken?: boolean): void }> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.explain(error);
    }
    // A held connection the server drops while idle (a restart, a network cut) emits `error` with no
    // query to fail: without a listener that would end the process with a stack trace. Its next
    // query (or the release) then finds it broken.
    let lost = false;
    const onLost = (): void => {
      lost = true;
    };
    client.on("error", onLost);
    return {
      db: {
        query: async <Row>(sql: string, args: readonly unknown[] = []) => {
          try {
            return (await client.query(sql, args as unknown[])).rows as Row[];
          } catch (error) {
            throw this.explain(error);
          }
        },
      },
      release: (broken = false) => {
        client.removeListener("error", onLost);
        client.release(broken || lost);
      },
    };
  }

  /** Applies the migrations the database lacks, one process at a time (pg_advisory_lock). */
  private async migrate(): Promise<void> {
    const session = await this.session();
    const db = session.db;
    let broken = false;
    try {
      await db.query(`SET lock_timeout = ${MIGRATION_WAIT_MS}`);
      try {
        await db.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
      } catch (error) {
        if ((error as { code?: unknown }).code === "55P03")
          throw new PostgresStoreError(
            "STORE_LOCK_TIMEOUT",
            `Waited ${MIGRATION_WAIT_MS / 1000} s for another process to finish migrating the PostgreSQL tracking store at ${this.shownUri}; try again, or look for a stuck cellforge process.`,
          );
        throw error;
      }
      try {
        await db.query(
          "CREATE TABLE IF NOT EXISTS cellforge_schema (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        );
        const [row] = await db.query<{ version: number | null }>(
          "SELECT max(version) AS version FROM cellforge_schema",
        );
        const current = row?.version ?? 0;
        const latest = postgresMigrations.at(-1)!.version;
        if (current > latest)
          throw new PostgresStoreError(
            "STORE_SCHEMA_NEWER",
            `The PostgreSQL tracking store at ${this.shownUri} has schema version ${current}, newer than this cellforge knows (${latest}): upgrade cellforge (npm install) on this machine.`,
          );
        for (const migration of postgresMigrations) {
          if (migration.version <= current) continue;
          await db.query("BEGIN");
          try {
            await db.query(migration.sql);
            await db.query("INSERT INTO cellforge_schema (version, description, applied_at) VALUES ($1, $2, $3)", [
              migration.version,
              migration.description,
              Date.now(),
            ]);
            await db.query("COMMIT");
          } catch (error) {
            await db.query("ROLLBACK").catch(() => undefined);
            throw error;
          }
        }
      } finally {
        await db.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
      }
      await db.query("SET lock_timeout = 0");
    } catch (error) {
      broken = true;
      throw this.explain(error);
    } finally {
      session.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
