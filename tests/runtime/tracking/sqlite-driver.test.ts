import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteDatabase, SCHEMA_VERSION } from "../../../runtime/tracking/sqlite-database.ts";
import type { SqliteDatabase } from "../../../runtime/tracking/sqlite-driver.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import { currentProcess } from "../../../runtime/tracking/process-identity.ts";

let folder: string;
let db: SqliteDatabase;
const path = () => join(folder, "tracking.db");

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "cellforge-driver-"));
  db = openSqliteDatabase(path());
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL); CREATE TABLE tally (n INTEGER)");
});
afterEach(() => {
  db.close();
  rmSync(folder, { recursive: true, force: true });
});

const texts = () => (db.prepare("SELECT text FROM notes ORDER BY id").all() as { text: string }[]).map((r) => r.text);

/**
 * Another process that takes the write lock of the database at `file` (`BEGIN IMMEDIATE`, then `sql` if given),
 * holds it for `ms` and commits; resolves once the lock is taken, with a promise of the process's exit (wrapped, since
 * an async function returning a promise would wait for it).
 */
async function holdWriteLock(file: string, ms: number, sql?: string): Promise<{ exited: Promise<unknown> }> {
  const driver = join(import.meta.dirname, "../../../runtime/tracking/sqlite-driver.ts");
  const holder = spawn(process.execPath, [
    "--import",
    "tsx",
    "--input-type=module",
    "-e",
    `
    import { SqliteDatabase } from ${JSON.stringify(driver)};
    const db = new SqliteDatabase(${JSON.stringify(file)}, { busyTimeoutMs: 0 });
    db.exec("BEGIN IMMEDIATE");
    ${sql === undefined ? "" : `db.exec(${JSON.stringify(sql)});`}
    console.log("locked");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});
    db.exec("COMMIT");
    db.close();`,
  ]);
  const exited = new Promise((resolve) => holder.on("exit", resolve));
  await new Promise<void>((resolve, reject) => {
    holder.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("locked")) resolve();
    });
    holder.on("exit", (code) => reject(new Error(`the lock holder exited (${code}) before taking the lock`)));
  });
  return { exited };
}

describe("the SQLite driver", () => {
  it("gives rows as plain objects of their columns only", () => {
    db.prepare("INSERT INTO notes (text) VALUES (?)").run("hello");
    const row = db.prepare("SELECT id, text FROM notes WHERE text = ?").get("hello");
    expect(row).toStrictEqual({ id: 1, text: "hello" });
    expect(JSON.stringify(row)).toBe('{"id":1,"text":"hello"}');
    expect(db.prepare("SELECT id, text FROM notes").all()).toStrictEqual([{ id: 1, text: "hello" }]);
    expect(db.prepare("SELECT text FROM notes WHERE id = ?").get(null)).toBeUndefined();
  });

  it("opens in WAL mode with a 15 s busy timeout and foreign keys on, migrated to the current schema", () => {
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("busy_timeout", { simple: true })).toBe(15_000);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma("user_version")).toEqual([{ user_version: SCHEMA_VERSION }]);
  });

  it("refuses to bind a boolean with a TypeError instead of stopping the process", () => {
    expect(() => db.prepare("INSERT INTO tally (n) VALUES (?)").run(true)).toThrow(
      new TypeError("SQLite3 can only bind numbers, strings, bigints, buffers, and null"),
    );
    expect(db.prepare("SELECT count(*) AS n FROM tally").get()).toEqual({ n: 0 });
  });

  it("refuses statements once closed, as a TypeError, and closes twice without complaint", () => {
    const count = db.prepare("SELECT count(*) AS n FROM notes");
    db.close();
    expect(db.open).toBe(false);
    expect(() => count.get()).toThrow(new TypeError("The database connection is not open"));
    expect(() => db.prepare("SELECT 1")).toThrow(TypeError);
    expect(() => db.close()).not.toThrow();
  });

  it("commits a transaction that returns, rolls back one that throws, and refuses one that returns a promise", () => {
    const insert = db.prepare("INSERT INTO notes (text) VALUES (?)");
    expect(db.transaction((text: string) => insert.run(text).changes).immediate("kept")).toBe(1);
    expect(() =>
      db
        .transaction(() => {
          insert.run("dropped");
          throw new Error("boom");
        })
        .immediate(),
    ).toThrow("boom");
    expect(() => db.transaction(async () => insert.run("async")).immediate()).toThrow(
      new TypeError("Transaction function cannot return a promise"),
    );
    expect(texts()).toEqual(["kept"]);
    expect(db.inTransaction).toBe(false);
  });

  it("runs a transaction inside a transaction as a savepoint: the inner one fails alone", () => {
    const insert = db.prepare("INSERT INTO notes (text) VALUES (?)");
    db.transaction(() => {
      insert.run("outer");
      expect(() =>
        db.transaction(() => {
          insert.run("inner");
          throw new Error("inner fails");
        })(),
      ).toThrow("inner fails");
      db.transaction(() => insert.run("second inner"))();
    }).immediate();
    expect(texts()).toEqual(["outer", "second inner"]);
  });

  it("opens a new database file while another process holds its write lock before it is in WAL mode (a second opener converting it)", async () => {
    // SQLite answers the switch to WAL mode with SQLITE_BUSY at once in this case, without waiting out the busy
    // timeout: its read lock would have to become a write lock, which could deadlock with the other writer.
    const fresh = join(folder, "fresh.db");
    const { exited } = await holdWriteLock(fresh, 1000, "CREATE TABLE first_opener (n INTEGER)");
    const opened = openSqliteDatabase(fresh);
    try {
      await exited;
      expect(opened.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(opened.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
      expect(opened.prepare("SELECT count(*) AS n FROM first_opener").get()).toEqual({ n: 0 });
    } finally {
      opened.close();
    }
  });

  it("makes a write wait while another process holds the write lock, then succeed (busy timeout)", async () => {
    const store = SqliteTrackingStore.open(path());
    const { id } = await store.createRun({
      experiment: "e",
      pipeline: "p",
      params: {},
      tags: {},
      gitCommit: undefined,
      gitDirty: undefined,
      process: currentProcess(),
    });
    const { exited } = await holdWriteLock(path(), 1500);
    const started = performance.now();
    await store.logMetric(id, "loss", 0.5, 1);
    const waited = performance.now() - started;
    await exited;
    expect(waited).toBeGreaterThan(500);
    expect((await store.getRun(id))!.metrics).toEqual({ loss: 0.5 });
    await store.close();
  });
});
