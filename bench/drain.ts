/**
 * Drain under a stop signal (issue 24 item 10): `cellforge serve` (2 workers, and one process) is
 * sent SIGTERM or Ctrl-C while three 20,000-row /invocations bodies are still arriving, trial after
 * trial. Prints, out of all trials: requests in flight lost (not answered 200 with every row),
 * connections reset (goal 0) — made 100 ms or more after the signal, and made within the signal's
 * instant (a connect the kernel completes as the listening socket closes is reset by TCP itself) —
 * requests on an idle keep-alive socket not answered, exit codes other than 0, and the slowest exit.
 *
 * `npx tsx bench/drain.ts [--trials N]` (default 6 per case). Uses the tests' fixture classifier.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cellforgeBin } from "../tests/runtime/fixture-project.ts";
import { drainTrial, startServe } from "../tests/runtime/serve/drain-client.ts";
import { registeredProject } from "../tests/runtime/serve/registered-model.ts";

const trialsArg = process.argv.indexOf("--trials");
const trials = trialsArg === -1 ? 6 : Number(process.argv[trialsArg + 1]);
const ROWS = 20_000;
const REQUESTS = 3;

const cases = [
  { name: "--workers 2, SIGTERM to the primary", args: ["--workers", "2"], signal: "SIGTERM", group: false },
  { name: "--workers 2, Ctrl-C (SIGINT to the group)", args: ["--workers", "2"], signal: "SIGINT", group: true },
  { name: "--workers 2, SIGTERM to the group", args: ["--workers", "2"], signal: "SIGTERM", group: true },
  { name: "one process, SIGTERM", args: [], signal: "SIGTERM", group: false },
] as const;

const project = await registeredProject();
mkdirSync(join(project.root, "conf/local"), { recursive: true });
writeFileSync(join(project.root, "conf/local/serving.yml"), "max_queue_rows: 200000\nmax_queue_latency_ms: 60000\n");
try {
  for (const c of cases) {
    let lost = 0;
    let resetAfter = 0;
    let resetAtSignal = 0;
    let connectsAtSignal = 0;
    let keptAliveFailed = 0;
    let badExits = 0;
    let slowestExitMs = 0;
    for (let i = 0; i < trials; i++) {
      const server = await startServe(cellforgeBin, project.root, [...c.args]);
      const trial = await drainTrial(server, {
        requests: REQUESTS,
        rows: ROWS,
        signal: c.signal,
        group: c.group,
        exitWithinMs: 30_000,
      });
      lost += trial.inFlight.filter((r) => r.outcome !== "200" || r.predictions !== ROWS).length;
      resetAfter += trial.after.filter((o) => o !== "200" && o !== "ECONNREFUSED").length;
      const atSignal = trial.aroundSignal.filter((a) => a.atMs >= 0 && a.atMs < 100);
      connectsAtSignal += atSignal.length;
      resetAtSignal += atSignal.filter((a) => a.outcome !== "200" && a.outcome !== "ECONNREFUSED").length;
      resetAfter += trial.aroundSignal.filter(
        (a) => (a.atMs < 0 || a.atMs >= 100) && a.outcome !== "200" && a.outcome !== "ECONNREFUSED",
      ).length;
      if (!trial.keptAlive.startsWith("200")) keptAliveFailed++;
      if (trial.code !== 0) badExits++;
      slowestExitMs = Math.max(slowestExitMs, trial.exitMs);
    }
    console.log(
      `${c.name}: ${trials} trials; in flight lost ${lost}/${trials * REQUESTS}; resets before or ≥100 ms after the signal ${resetAfter}; ` +
        `resets within 100 ms of the signal ${resetAtSignal}/${connectsAtSignal}; idle keep-alive not answered ${keptAliveFailed}/${trials}; exit ≠ 0: ${badExits}; slowest exit ${slowestExitMs} ms`,
    );
  }
} finally {
  project.remove();
}
