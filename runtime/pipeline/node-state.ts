/** What the runner remembers of a node's last successful run, to skip it when nothing changed. */

/** One value a node logged through logMetric (or a TF.js epoch). */
export interface LoggedMetric {
  name: string;
  value: number;
  step: number | undefined;
}

/** A node's last successful run. */
export interface NodeState {
  /** sha256 over the node's code hash, its inputs' digests and its parameters' values. */
  fingerprint: string;
  /** Digests of its persisted outputs, by dataset name. */
  outputs: Record<string, string>;
  /** Its metric outputs (flattened), re-logged when it is skipped. */
  metrics: LoggedMetric[];
  /** The metrics its code logged (logMetric, TF.js epochs), re-logged when it is skipped. */
  logged: LoggedMetric[];
  runId: string | undefined;
  updatedAt: number;
}

/** Where node states are kept (the tracking store implements it). */
export interface NodeStateStore {
  getNodeState(pipeline: string, node: string): Promise<NodeState | undefined>;
  putNodeState(pipeline: string, node: string, state: NodeState): Promise<void>;
}
