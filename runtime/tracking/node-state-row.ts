/** A node state as both SQL stores keep it: one `node_states` row, its JSON fields as text. */
import type { NodeState } from "../pipeline/node-state.ts";

/** The columns read back, in the order NODE_STATE_COLUMNS names them. */
export interface NodeStateRow {
  fingerprint: string;
  outputs: string | null;
  metrics: string | null;
  logged: string | null;
  run_id: string | null;
  updated_at: number;
}

/** The columns of NodeStateRow, to select. */
export const NODE_STATE_COLUMNS = "fingerprint, outputs, metrics, logged, run_id, updated_at";

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  return JSON.parse(text) as T;
}

/** Node-state metrics as a list; states written before steps were kept hold a name → value record. */
function metricList(stored: unknown): NodeState["metrics"] {
  if (Array.isArray(stored)) return stored as NodeState["metrics"];
  return Object.entries(stored as Record<string, number>).map(([name, value]) => ({ name, value, step: undefined }));
}

/** The state a row records. */
export function nodeStateFromRow(row: NodeStateRow): NodeState {
  return {
    fingerprint: row.fingerprint,
    outputs: parseJson(row.outputs, {}),
    metrics: metricList(parseJson<unknown>(row.metrics, [])),
    logged: parseJson(row.logged, []),
    runId: row.run_id ?? undefined,
    updatedAt: row.updated_at,
  };
}

/** The values to write for `state` of `pipeline`'s `node`, in the order of NODE_STATE_INSERT_COLUMNS. */
export function nodeStateValues(pipeline: string, node: string, state: NodeState): unknown[] {
  return [
    pipeline,
    node,
    state.fingerprint,
    JSON.stringify(state.outputs),
    JSON.stringify(state.metrics),
    JSON.stringify(state.logged),
    state.runId ?? null,
    state.updatedAt,
  ];
}

/** The columns nodeStateValues fills. */
export const NODE_STATE_INSERT_COLUMNS = `pipeline, node, ${NODE_STATE_COLUMNS}`;
