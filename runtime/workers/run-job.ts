/**
 * A run as a queue job: what the job carries (pipeline, parameters, tags, the node code hashes of
 * the checkout that queued it), what its run process reports back, and the check that a worker
 * runs only the code the job was queued with.
 */
import { execFileSync } from "node:child_process";
import type { ParameterAssignment } from "../config/parameters.ts";
import type { RunEvent } from "../events/run-event.ts";
import type { NodeExecution, NodeTask } from "../pipeline/runner.ts";
import type { Pipeline } from "../pipeline/definition.ts";
import type { PipelineFilter } from "../pipeline/filter.ts";
import { codeHashesTag, recordedCodeHashes, CODE_HASHES_TAG } from "../tracking/code-hashes.ts";

/** One tracked run to execute, as plain JSON. */
export interface RunJob {
  pipeline: string;
  env: string;
  params: ParameterAssignment[];
  tags: Record<string, string>;
  /** Rerun every node: sweep runs never skip on each other's node states. */
  force: boolean;
  /** Register the model when the pipeline has a predict cell (sweep runs leave it to --register-best). */
  register: boolean;
  filter?: PipelineFilter;
  /** The node code hashes of the checkout that queued the job, by node. */
  codeHashes: Record<string, string>;
  /** The commit that checkout was at, and its time (seconds), to tell which side is behind. */
  commit?: { id: string; time: number };
}

/**
 * One node of a run that `cellforge run --on workers` drives node by node: the run is recorded
 * and scheduled by the command, each node executed by a worker against the shared catalog.
 */
export interface NodeJob {
  kind: "node";
  pipeline: string;
  env: string;
  task: NodeTask;
  codeHashes: Record<string, string>;
  commit?: { id: string; time: number };
}

/** What a worker takes off the queue: a whole run, or one node of a run. */
export type QueueJob = RunJob | NodeJob;

/** Whether `job` is one node of a run. */
export function isNodeJob(job: QueueJob): job is NodeJob {
  return (job as Partial<NodeJob>).kind === "node";
}

/** How a job's run ended. */
export interface RunJobResult {
  runId?: string;
  status: "FINISHED" | "FAILED" | "KILLED";
  error?: string;
  metrics: Record<string, number>;
  durationMs?: number;
  /** What happened to the model (registered, unchanged, or why none). */
  model?: string;
  /** The job was refused before any run was recorded (its node code differs from the worker's). */
  refused?: true;
  /** A node job's execution, when it finished. */
  execution?: NodeExecution;
}

/** What a run process tells the worker (or the local sweep) that started it. */
export type RunJobMessage =
  | { type: "ready" }
  | { type: "started"; runId: string }
  | { type: "line"; line: string }
  | { type: "event"; event: RunEvent }
  | { type: "outcome"; result: RunJobResult };

/** What a job's progress says, as followers see it through BullMQ's progress events. */
export interface RunJobProgress {
  attempt: number;
  runId?: string;
  line?: string;
  /** A node job's run event, for the command that records the run. */
  event?: RunEvent;
  worker: string;
}

/** A worker whose code differs from the job's: the message says which side to update. */
export class CodeVersionMismatchError extends Error {
  readonly code = "CODE_VERSION_MISMATCH";
  constructor(message: string) {
    super(message);
    this.name = "CodeVersionMismatchError";
  }
}

/** The commit of the checkout at `root` and its time, or undefined outside git. */
export function commitOf(root: string): { id: string; time: number } | undefined {
  try {
    const [id, time] = execFileSync("git", ["log", "-1", "--format=%H %ct"], {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    })
      .trim()
      .split(" ");
    return id === undefined || time === undefined ? undefined : { id, time: Number(time) };
  } catch {
    return undefined;
  }
}

/** The node code hashes `pipeline` has here. */
export function codeHashesOf(pipeline: Pipeline): Record<string, string> {
  return recordedCodeHashes({ [CODE_HASHES_TAG]: codeHashesTag(pipeline) }) ?? {};
}

/** Throws CodeVersionMismatchError when `pipeline` here has other node code than the job was queued with. */
export function checkCodeVersion(job: QueueJob, pipeline: Pipeline, workerCommit: RunJob["commit"]): void {
  const mine = codeHashesOf(pipeline);
  const names = [...new Set([...Object.keys(mine), ...Object.keys(job.codeHashes)])].sort();
  const differing = names.filter((name) => mine[name] !== job.codeHashes[name]);
  if (differing.length === 0) return;
  const theirs = job.commit;
  let advice: string;
  if (theirs !== undefined && workerCommit !== undefined && theirs.time > workerCommit.time)
    advice = `The job comes from a newer commit (${theirs.id.slice(0, 8)}) than this worker's (${workerCommit.id.slice(0, 8)}): update the worker (git pull, then restart \`cellforge worker\`).`;
  else if (theirs !== undefined && workerCommit !== undefined && theirs.time < workerCommit.time)
    advice = `The job comes from an older commit (${theirs.id.slice(0, 8)}) than this worker's (${workerCommit.id.slice(0, 8)}): update the checkout that queued it (git pull) and queue it again.`;
  else
    advice =
      "Both sides are at the same commit with different uncommitted code: commit the notebook and pipeline where they changed, update the other side (git pull), and restart the worker or queue again.";
  throw new CodeVersionMismatchError(
    `Refused: pipeline \`${job.pipeline}\` has other code on this worker than in the job (nodes ${differing.map((n) => `\`${n}\``).join(", ")}). ${advice}`,
  );
}
