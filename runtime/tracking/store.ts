/**
 * The tracking store interface: experiments, runs, metrics with step history, artifacts,
 * input datasets and logs. sqlite-store.ts implements it; another backend is a new file.
 */
import type { RunFieldNames } from "./run-filter.ts";
import type { RunFilter } from "./run-filter-parser.ts";

/** The life of a run. */
export type RunStatus = "RUNNING" | "FINISHED" | "FAILED" | "KILLED";

/** The process that owns a run, to tell later whether it is still alive. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** An OS-specific start marker (Linux: start time in clock ticks), to tell a reused pid apart. */
  start: string | undefined;
}

/** A lock held across processes; `release()` gives it back (a second call does nothing). */
export interface HeldLock {
  readonly name: string;
  release(): Promise<void>;
}

/** What starting a run records. */
export interface NewRun {
  experiment: string;
  pipeline: string;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  gitCommit: string | undefined;
  gitDirty: boolean | undefined;
  process: ProcessIdentity;
}

/** A run as listed. */
export interface RunInfo {
  id: string;
  experiment: string;
  pipeline: string;
  status: RunStatus;
  /** Milliseconds since the epoch. */
  startTime: number;
  endTime: number | undefined;
  gitCommit: string | undefined;
  gitDirty: boolean | undefined;
  params: Record<string, unknown>;
  tags: Record<string, string>;
  error: string | undefined;
  /** The latest value of each metric (highest step). */
  metrics: Record<string, number>;
}

/** One recorded value of a metric. */
export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

/** A file a run wrote. */
export interface ArtifactRecord {
  /** Relative to the project root. */
  path: string;
  sha256: string;
  size: number;
  /** The catalog dataset it belongs to. */
  dataset: string | undefined;
  /** The run's own copy of the file (relative to the project root), kept when the run saved it; undefined when the run kept none. */
  copy?: string | undefined;
}

/** A dataset a run read from outside itself. */
export interface DatasetInputRecord {
  name: string;
  digest: string;
  rows: number | undefined;
  /** Relative to the project root. */
  path: string | undefined;
}

/** A message logged by a node. */
export interface LogRecord {
  node: string | undefined;
  level: "info" | "warn";
  message: string;
  timestamp: number;
}

/** Everything recorded about one run. */
export interface RunDetails extends RunInfo {
  metricHistory: MetricPoint[];
  artifacts: ArtifactRecord[];
  inputs: DatasetInputRecord[];
  logs: LogRecord[];
}

/** Which runs to list, newest first. */
export interface RunQuery {
  experiment?: string;
  pipeline?: string;
  status?: RunStatus;
  limit?: number;
}

/** Which runs to search: those of a RunQuery that also meet a parsed filter (run-filter.ts), newest first. */
export interface RunSearch extends RunQuery {
  filter?: RunFilter;
}

/** A store of runs. All methods may be called concurrently from several processes. */
export interface TrackingStore {
  createRun(run: NewRun): Promise<RunInfo>;
  /** Ends a run that is still RUNNING (a run already ended keeps its status). */
  endRun(id: string, status: Exclude<RunStatus, "RUNNING">, error?: string): Promise<void>;
  logMetric(runId: string, key: string, value: number, step?: number): Promise<void>;
  logArtifact(runId: string, artifact: ArtifactRecord): Promise<void>;
  /** Records an input dataset; a later record with rows completes one without. */
  logInput(runId: string, input: DatasetInputRecord): Promise<void>;
  logMessage(runId: string, record: LogRecord): Promise<void>;
  /** The run whose id is `idOrPrefix` or starts with it; throws when a prefix is ambiguous. */
  getRun(idOrPrefix: string): Promise<RunDetails | undefined>;
  listRuns(query?: RunQuery): Promise<RunInfo[]>;
  /** The runs of `search`, newest first: a database backend evaluates the filter in the database, not over every run; `matchesRunFilter` is what it must mean. */
  searchRuns(search: RunSearch): Promise<RunInfo[]>;
  /** The metric and parameter names the runs of `query` have (for "no run has a metric …" warnings), without loading the runs. */
  runFieldNames(query?: Omit<RunQuery, "limit">): Promise<RunFieldNames>;
  /** Marks KILLED the RUNNING runs whose process `isAlive` says is gone; returns their ids. */
  markAbandonedRuns(isAlive: (process: ProcessIdentity) => boolean | undefined): Promise<string[]>;
  /** Holds the named lock across every process using the store (waits for a live holder; takes over a dead one's). */
  lock(name: string, options?: { waitMs?: number }): Promise<HeldLock>;
  close(): Promise<void>;
}

/** A run id prefix that matches several runs. */
export class AmbiguousRunIdError extends Error {
  readonly code = "RUN_ID_AMBIGUOUS";
  constructor(prefix: string, matches: readonly string[]) {
    super(
      `Run id prefix \`${prefix}\` matches ${matches.length} runs (${matches.slice(0, 5).join(", ")}${matches.length > 5 ? ", …" : ""}); give more characters.`,
    );
    this.name = "AmbiguousRunIdError";
  }
}
