// `cellforge serve` stopped while large requests are in flight, as a terminal (Ctrl-C reaches the
// whole process group) or a service manager (SIGTERM) stops it: every request in flight is answered
// in full, new connections are refused rather than reset, and the process exits 0.
import { writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cellforgeBin, type FixtureProject } from "../fixture-project.ts";
import { drainTrial, startServe, type ServeProcess } from "./drain-client.ts";
import { registeredProject } from "./registered-model.ts";

let project: FixtureProject;
const servers: ServeProcess[] = [];
const ROWS = 20_000;

beforeAll(async () => {
  project = await registeredProject();
  // Room for several 20,000-row requests queued at once in one process.
  mkdirSync(join(project.root, "conf/local"), { recursive: true });
  writeFileSync(join(project.root, "conf/local/serving.yml"), "max_queue_rows: 200000\nmax_queue_latency_ms: 60000\n");
}, 120_000);

afterAll(() => {
  for (const server of servers)
    if (server.child.exitCode === null && server.child.signalCode === null) process.kill(-server.child.pid!, "SIGKILL");
  project.remove();
});

const cases = [
  { name: "--workers 2, SIGTERM to the primary", args: ["--workers", "2"], signal: "SIGTERM", group: false },
  {
    name: "--workers 2, Ctrl-C (SIGINT to the process group)",
    args: ["--workers", "2"],
    signal: "SIGINT",
    group: true,
  },
  {
    name: "--workers 2, SIGTERM to the process group (systemd's default)",
    args: ["--workers", "2"],
    signal: "SIGTERM",
    group: true,
  },
  { name: "one process, SIGTERM", args: [], signal: "SIGTERM", group: false },
] as const;

describe("cellforge serve drains on a stop signal", () => {
  it.each(cases)(
    "$name: answers every request in flight in full, refuses new connections, exits 0",
    async ({ args, signal, group }) => {
      const server = await startServe(cellforgeBin, project.root, [...args]);
      servers.push(server);
      const trial = await drainTrial(server, { requests: 3, rows: ROWS, signal, group, exitWithinMs: 20_000 });
      const context = `${JSON.stringify(trial)}\n${server.output()}`;
      expect(trial.inFlight, context).toEqual(Array(3).fill({ outcome: "200", predictions: ROWS }));
      for (const outcome of trial.after) expect(["200", "ECONNREFUSED"], context).toContain(outcome);
      // Connections made before the signal are answered, whatever the workers were doing.
      for (const { atMs, outcome } of trial.aroundSignal) if (atMs < 0) expect(outcome, context).toBe("200");
      // The client's socket stays usable while the drain runs; the answer tells it to close.
      expect(trial.keptAlive, context).toBe("200 connection: close");
      expect(trial.code, context).toBe(0);
    },
    90_000,
  );
});
