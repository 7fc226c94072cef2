/** Starting one RunJob in its own process (run-process.ts) and following it: what workers and local sweeps share. */
import { fork } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { RunJob, RunJobMessage, RunJobResult } from "./run-job.ts";

const entry = join(dirname(fileURLToPath(import.meta.url)), "run-process.ts");

/** A run going on in its own process. */
export interface RunProcess {
  /** Resolves with how the run ended (FAILED with the cause when the process died without saying). */
  result: Promise<RunJobResult>;
  /** Cancels the run: it ends KILLED. */
  cancel(): void;
  /** Stops the run because its job went to another worker: it ends KILLED, saying so. */
  abandon(): void;
}

/** Starts `job` in a new process in the project at `root`; `onMessage` gets its run id and progress lines. */
export function startRunProcess(root: string, job: RunJob, onMessage: (message: RunJobMessage) => void): RunProcess {
  const child = fork(entry, [], {
    cwd: root,
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let runId: string | undefined;
  let outcome: RunJobResult | undefined;
  child.on("message", (message: RunJobMessage) => {
    if (message.type === "started") runId = message.runId;
    if (message.type === "outcome") outcome = message.result;
    onMessage(message);
  });
  child.send(job);
  const result = new Promise<RunJobResult>((resolve) => {
    child.once("exit", (code, signal) => {
      if (outcome !== undefined) return resolve(outcome);
      const how = signal === null ? `exit code ${code}` : signal;
      resolve({
        ...(runId === undefined ? {} : { runId }),
        status: code === 130 ? "KILLED" : "FAILED",
        error: `The run's process ended (${how}) before the run finished.`,
        metrics: {},
      });
    });
  });
  return {
    result,
    cancel: () => {
      if (child.exitCode === null) child.kill("SIGINT");
    },
    abandon: () => {
      if (child.exitCode === null) child.kill("SIGUSR2");
    },
  };
}
