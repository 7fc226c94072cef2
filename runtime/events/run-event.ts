/**
 * What happens while a pipeline runs, as plain JSON: a node started, finished, failed or was
 * skipped, a dataset was loaded or saved, a metric, a log line, a progress line. A runner that
 * executes nodes in another process (a worker) sends these back over the process boundary;
 * progress printing and run tracking consume them through the `onRunEvent` hook.
 */

/** One metric value; `step` (e.g. an epoch) is absent for a single value. */
export interface MetricValue {
  name: string;
  value: number;
  step?: number | undefined;
}

/** A node's function is about to be called (its inputs are loaded). */
export interface NodeStartedEvent {
  type: "node-started";
  node: string;
  /** Replayed for its in-memory outputs: its persisted outputs are left as they are. */
  replay: boolean;
}

/** A node returned and its outputs are saved. */
export interface NodeFinishedEvent {
  type: "node-finished";
  node: string;
  replay: boolean;
  durationMs: number;
  /** Its metric outputs, flattened (`name.key`, array indices as steps). */
  metrics: MetricValue[];
}

/** A node threw (or loading or saving its data failed). */
export interface NodeFailedEvent {
  type: "node-failed";
  node: string;
  durationMs: number;
  /** The cause's message. */
  message: string;
}

/** A node whose code, inputs and parameters did not change was not run. */
export interface NodeSkippedEvent {
  type: "node-skipped";
  node: string;
  /** Its metrics as last recorded (logged ones, then metric outputs), so the run's record stays complete. */
  metrics: MetricValue[];
}

/** A node read a dataset; `rows` when the dataset can count them. */
export interface DatasetLoadedEvent {
  type: "dataset-loaded";
  node: string;
  dataset: string;
  rows?: number | undefined;
}

/** A node is about to save a dataset (a receiver may lock its path until `dataset-saved`). */
export interface DatasetSavingEvent {
  type: "dataset-saving";
  node: string;
  dataset: string;
}

/** A node saved a dataset. */
export interface DatasetSavedEvent {
  type: "dataset-saved";
  node: string;
  dataset: string;
}

/** A running node logged a metric (logMetric, a TF.js epoch). */
export interface MetricEvent extends MetricValue {
  type: "metric";
  node: string;
}

/** A running node logged a message (log.info, log.warn). */
export interface LogEvent {
  type: "log";
  node: string;
  level: "info" | "warn";
  message: string;
}

/** A terminal-only progress line of a running node (one per training epoch), not recorded. */
export interface ProgressEvent {
  type: "progress";
  node: string;
  message: string;
}

/** Everything a runner reports about a run's nodes. */
export type RunEvent =
  | NodeStartedEvent
  | NodeFinishedEvent
  | NodeFailedEvent
  | NodeSkippedEvent
  | DatasetLoadedEvent
  | DatasetSavingEvent
  | DatasetSavedEvent
  | MetricEvent
  | LogEvent
  | ProgressEvent;

/** Where a runner sends its events; resolves once they are handled (a save waits for `dataset-saving` to be handled). */
export type RunEventSink = (event: RunEvent) => Promise<void>;

const EVENT_TYPES: ReadonlySet<string> = new Set<RunEvent["type"]>([
  "node-started",
  "node-finished",
  "node-failed",
  "node-skipped",
  "dataset-loaded",
  "dataset-saving",
  "dataset-saved",
  "metric",
  "log",
  "progress",
]);

/** Whether `value` (e.g. parsed from another process's message) is a run event. */
export function isRunEvent(value: unknown): value is RunEvent {
  if (typeof value !== "object" || value === null) return false;
  const { type, node } = value as { type?: unknown; node?: unknown };
  return typeof type === "string" && EVENT_TYPES.has(type) && typeof node === "string";
}
