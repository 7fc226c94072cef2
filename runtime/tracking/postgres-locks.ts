/**
 * Named locks across every process using one PostgreSQL store: a session-level advisory lock held
 * on a connection of its own, so a process that dies (kill -9, lost network) frees its locks as its
 * connection closes. The `locks` table records who holds each one, for the message when a wait times out.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { PostgresDatabase } from "./postgres-database.ts";
import { LockTimeoutError } from "./sqlite-locks.ts";
import type { HeldLock, ProcessIdentity } from "./store.ts";

/** How long `acquire` waits by default for a live holder. */
const DEFAULT_WAIT_MS = 10 * 60_000;

/** Locks in one PostgreSQL database. */
export class PostgresLocks {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly owner: ProcessIdentity,
  ) {}

  /** Waits (polling) until lock `name` is free, then holds it until `release()`. */
  async acquire(name: string, options: { waitMs?: number } = {}): Promise<HeldLock> {
    const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    const started = Date.now();
    const session = await this.db.session();
    const key = "hashtextextended($1, 0)";
    try {
      let pause = 5;
      for (;;) {
        const [row] = await session.db.query<{ taken: boolean }>(`SELECT pg_try_advisory_lock(${key}) AS taken`, [
          `cellforge:${name}`,
        ]);
        if (row?.taken === true) break;
        if (Date.now() - started >= waitMs) {
          const [holder] = await session.db.query<{ pid: number; host: string }>(
            "SELECT pid, host FROM locks WHERE name = $1",
            [name],
          );
          throw new LockTimeoutError(name, holder ?? { pid: 0, host: "an unknown machine" }, Date.now() - started);
        }
        await sleep(pause);
        pause = Math.min(pause * 2, 100);
      }
      await session.db.query(
        `INSERT INTO locks (name, token, pid, host, process_start, acquired_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO UPDATE SET token = excluded.token, pid = excluded.pid, host = excluded.host,
           process_start = excluded.process_start, acquired_at = excluded.acquired_at`,
        [name, randomBytes(12).toString("hex"), this.owner.pid, this.owner.host, this.owner.start ?? null, Date.now()],
      );
    } catch (error) {
      session.release(true);
      throw error;
    }
    let held = true;
    return {
      name,
      release: async () => {
        if (!held) return;
        held = false;
        try {
          await session.db.query(`SELECT pg_advisory_unlock(${key})`, [`cellforge:${name}`]);
          session.release();
        } catch {
          // The connection is gone, and the lock with it.
          session.release(true);
        }
      },
    };
  }
}
