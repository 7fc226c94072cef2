/**
 * Running RunJobs in a warm process of their own (run-process.ts), what worker slots and local sweep
 * lanes share. Starting tsx, the runtime and TF.js costs seconds, more than a short training run,
 * so a slot keeps its process between runs: it is replaced after `runsPerProcess` runs, when the
 * pipeline's code changed on disk since the process imported it, and whenever a run was stopped
 * (cancelled, or its job lost to another worker), since stopping a run is ending its process.
 */
import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listPipelines } from "../pipeline/load-pipeline.ts";
import { pipelineCodeDigest } from "../pipeline/pipeline-code.ts";
import type { QueueJob, RunJobMessage, RunJobResult } from "./run-job.ts";

const entry = join(dirname(fileURLToPath(import.meta.url)), "run-process.ts");

/** A run going on in a slot's process. */
export interface RunProcess {
  /** Resolves with how the run ended (FAILED with the cause when the process died without saying). */
  result: Promise<RunJobResult>;
  /** The id of the process the run executes in. */
  pid: number | undefined;
  /** Cancels the run: it ends KILLED. */
  cancel(): void;
  /** Stops the run because its job went to another worker: it ends KILLED, saying so. */
  abandon(): void;
}

/** The process of a slot and what it has done. */
interface WarmProcess {
  child: ChildProcess;
  /** Resolves once the process has loaded TF.js and the pipelines, or ended. */
  ready: Promise<void>;
  runs: number;
  /** pipelineCodeDigest of each pipeline when this process first ran it. */
  code: Map<string, string>;
}

/** One run at a time, in a process kept warm between runs. */
export class RunSlot {
  private current: WarmProcess | undefined;

  /** `runsPerProcess` 1 gives every run a fresh process. */
  constructor(
    private readonly root: string,
    private readonly runsPerProcess: number,
  ) {}

  /** Starts the slot's process now, so that the first run does not wait for TF.js to load; resolves once it is ready (or ended). */
  warm(): Promise<void> {
    if (this.current === undefined || this.current.child.exitCode !== null) this.current = this.spawn();
    return this.current.ready;
  }

  /** Ends the slot's idle process. */
  close(): void {
    const process = this.current;
    this.current = undefined;
    if (process !== undefined && process.child.exitCode === null) process.child.disconnect();
  }

  private spawn(): WarmProcess {
    // Taken before the process imports the pipelines (it warms up with all of them), so never newer than the code it runs.
    const code = new Map(listPipelines(this.root).map((name) => [name, pipelineCodeDigest(this.root, name)]));
    const child = fork(entry, [], {
      cwd: this.root,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    // A process that ends between runs is replaced at the next one.
    child.on("exit", () => {
      if (this.current?.child === child) this.current = undefined;
    });
    const ready = new Promise<void>((resolve) => {
      child.on("message", (message: RunJobMessage) => {
        if (message.type === "ready") resolve();
      });
      child.once("exit", () => resolve());
    });
    return { child, ready, runs: 0, code };
  }

  /** The process to run `job` in: the warm one unless it is spent or imported other code for the job's pipeline. */
  private processFor(job: QueueJob): WarmProcess {
    const code = pipelineCodeDigest(this.root, job.pipeline);
    const warm = this.current;
    const reusable =
      warm !== undefined &&
      warm.child.exitCode === null &&
      warm.child.connected &&
      warm.runs < this.runsPerProcess &&
      (warm.code.get(job.pipeline) ?? code) === code;
    if (!reusable) {
      this.close();
      this.current = this.spawn();
    }
    const process = this.current!;
    if (!process.code.has(job.pipeline)) process.code.set(job.pipeline, code);
    process.runs++;
    return process;
  }

  /** Runs `job` in the slot's process; `onMessage` gets its run id and progress lines. */
  start(job: QueueJob, onMessage: (message: RunJobMessage) => void): RunProcess {
    const process = this.processFor(job);
    const { child } = process;
    let runId: string | undefined;
    let settle: (result: RunJobResult) => void = () => undefined;
    const result = new Promise<RunJobResult>((resolve) => (settle = resolve));
    const onChildMessage = (message: RunJobMessage): void => {
      if (message.type === "started") runId = message.runId;
      onMessage(message);
      if (message.type === "outcome") finish(message.result);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      const how = signal === null ? `exit code ${code}` : signal;
      finish({
        ...(runId === undefined ? {} : { runId }),
        status: code === 130 ? "KILLED" : "FAILED",
        error: `The run's process ended (${how}) before the run finished.`,
        metrics: {},
      });
    };
    const finish = (outcome: RunJobResult): void => {
      child.off("message", onChildMessage);
      child.off("exit", onExit);
      if (process.runs >= this.runsPerProcess && this.current === process) this.close();
      settle(outcome);
    };
    child.on("message", onChildMessage);
    child.on("exit", onExit);
    child.send(job);
    return {
      result,
      pid: child.pid,
      cancel: () => {
        if (child.exitCode === null) child.kill("SIGINT");
      },
      abandon: () => {
        if (child.exitCode === null) child.kill("SIGUSR2");
      },
    };
  }
}
