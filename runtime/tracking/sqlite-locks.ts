/**
 * Named locks shared by every process that opens the tracking database: a row in `locks` per held
 * lock, taken in an IMMEDIATE transaction (so two processes never both take it) and owned by a
 * process identity. A lock whose owner died (kill -9) is taken over by the next process that asks
 * for it, so a crash never blocks registration or saving for good.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { preparedStatements, type SqliteDatabase } from "./sqlite-database.ts";
import type { HeldLock, ProcessIdentity } from "./store.ts";

/** A lock still held by a live process after the wait. */
export class LockTimeoutError extends Error {
  readonly code = "LOCK_TIMEOUT";
  constructor(name: string, holder: { pid: number; host: string }, waitedMs: number) {
    super(
      `Waited ${Math.round(waitedMs / 1000)} s for \`${name}\`, held by process ${holder.pid} on ${holder.host}, which is still running. ` +
        `Wait for that cellforge command to finish (or stop it), then try again.`,
    );
    this.name = "LockTimeoutError";
  }
}

interface LockRow {
  token: string;
  pid: number;
  host: string;
  process_start: string | null;
}

/** How long `acquire` waits by default for a live holder. */
const DEFAULT_WAIT_MS = 10 * 60_000;

/** Locks in one tracking database. */
export class SqliteLocks {
  private readonly statement: ReturnType<typeof preparedStatements>;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly owner: ProcessIdentity,
    private readonly isAlive: (process: ProcessIdentity) => boolean | undefined,
  ) {
    this.statement = preparedStatements(db);
  }

  /** Takes the lock if it is free or its holder is dead; else returns the live holder. */
  private tryTake(name: string, token: string): LockRow | undefined {
    return this.db
      .transaction((): LockRow | undefined => {
        const row = this.statement("SELECT token, pid, host, process_start FROM locks WHERE name = ?").get(name) as
          LockRow | undefined;
        if (
          row !== undefined &&
          this.isAlive({ pid: row.pid, host: row.host, start: row.process_start ?? undefined }) !== false
        )
          return row;
        this.statement(
          "INSERT OR REPLACE INTO locks (name, token, pid, host, process_start, acquired_at) VALUES (?, ?, ?, ?, ?, ?)",
        ).run(name, token, this.owner.pid, this.owner.host, this.owner.start ?? null, Date.now());
        return undefined;
      })
      .immediate();
  }

  /** Waits (polling) until lock `name` is free or its holder is dead, then holds it. */
  async acquire(name: string, options: { waitMs?: number } = {}): Promise<HeldLock> {
    const token = randomBytes(12).toString("hex");
    const started = Date.now();
    const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
    let pause = 5;
    for (;;) {
      const holder = this.tryTake(name, token);
      if (holder === undefined) break;
      if (Date.now() - started >= waitMs) throw new LockTimeoutError(name, holder, Date.now() - started);
      await sleep(pause);
      pause = Math.min(pause * 2, 100);
    }
    let held = true;
    return {
      name,
      release: async () => {
        if (!held || !this.db.open) return;
        held = false;
        this.statement("DELETE FROM locks WHERE name = ? AND token = ?").run(name, token);
      },
    };
  }
}
