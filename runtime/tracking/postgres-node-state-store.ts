/** Node states (what the runner remembers to skip unchanged nodes) in the PostgreSQL store. */
import type { NodeState, NodeStateStore } from "../pipeline/node-state.ts";
import {
  NODE_STATE_COLUMNS,
  NODE_STATE_INSERT_COLUMNS,
  nodeStateFromRow,
  nodeStateValues,
  type NodeStateRow,
} from "./node-state-row.ts";
import type { PostgresDatabase } from "./postgres-database.ts";

/** The `node_states` table of a PostgreSQL store. */
export class PostgresNodeStateStore implements NodeStateStore {
  constructor(private readonly db: PostgresDatabase) {}

  async getNodeState(pipeline: string, node: string): Promise<NodeState | undefined> {
    const [row] = await this.db.query<NodeStateRow>(
      `SELECT ${NODE_STATE_COLUMNS} FROM node_states WHERE pipeline = $1 AND node = $2`,
      [pipeline, node],
    );
    return row === undefined ? undefined : nodeStateFromRow(row);
  }

  async putNodeState(pipeline: string, node: string, state: NodeState): Promise<void> {
    await this.db.query(
      `INSERT INTO node_states (${NODE_STATE_INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (pipeline, node) DO UPDATE SET fingerprint = excluded.fingerprint, outputs = excluded.outputs, metrics = excluded.metrics,
         logged = excluded.logged, run_id = excluded.run_id, updated_at = excluded.updated_at`,
      nodeStateValues(pipeline, node, state),
    );
  }
}
