/**
 * A throwaway PostgreSQL cluster for tests: initdb + pg_ctl from Debian's `postgresql` package under
 * a temp folder, on a free port, its socket in that folder; run as the `postgres` user when the tests
 * run as root (the server refuses root). One per test file; `stop()` removes it.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** The folder of initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function postgresBinaries(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) if (existsSync(join(root, version, "bin/initdb"))) return join(root, version, "bin");
  return undefined;
}

/** Why the PostgreSQL tests are skipped, or undefined when they run. */
export const postgresMissing =
  postgresBinaries() === undefined
    ? "PostgreSQL is not installed (apt-get install -y postgresql): the PostgreSQL store tests are skipped"
    : undefined;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** A running throwaway cluster. */
export interface PostgresServer {
  port: number;
  /** A URI for database `name` (user postgres, a password that trust authentication ignores: to check it is never shown). */
  uri(name?: string): string;
  /** Creates a fresh, empty database and returns its URI. */
  createDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: connections are cut); `start()` starts it again. */
  halt(): void;
  start(): void;
  stop(): void;
}

let databases = 0;

/** Starts a cluster; throws when the binaries are missing (check `postgresMissing` first). */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (bin === undefined) throw new Error(postgresMissing);
  const folder = mkdtempSync(join(tmpdir(), "cellforge-pg-"));
  chmodSync(folder, 0o777);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres:postgres", folder]);
  const run = (tool: string, args: string[]): void => {
    const command = asRoot ? "runuser" : join(bin, tool);
    const full = asRoot ? ["-u", "postgres", "--", join(bin, tool), ...args] : args;
    execFileSync(command, full, { stdio: "pipe", cwd: folder });
  };
  const data = join(folder, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const port = await freePort();
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = (): void => run("pg_ctl", ["-D", data, "-o", options, "-l", join(folder, "log"), "-w", "start"]);
  start();
  const uri = (name = "postgres"): string => `postgresql://postgres:s3cret-pw@127.0.0.1:${port}/${name}`;
  return {
    port,
    uri,
    async createDatabase() {
      const name = `cellforge_test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: uri() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return uri(name);
    },
    halt: () => run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]),
    start,
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
