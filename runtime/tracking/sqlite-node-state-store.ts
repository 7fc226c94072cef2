/** Node states (what the runner remembers to skip unchanged nodes) in the SQLite tracking database. */
import type { NodeState, NodeStateStore } from "../pipeline/node-state.ts";
import {
  NODE_STATE_COLUMNS,
  NODE_STATE_INSERT_COLUMNS,
  nodeStateFromRow,
  nodeStateValues,
  type NodeStateRow,
} from "./node-state-row.ts";
import { preparedStatements, type SqliteDatabase } from "./sqlite-database.ts";

/** The `node_states` table of a tracking database. */
export class SqliteNodeStateStore implements NodeStateStore {
  /** The compiled statement for a SQL text, prepared on first use. */
  private readonly statement: ReturnType<typeof preparedStatements>;

  constructor(db: SqliteDatabase) {
    this.statement = preparedStatements(db);
  }

  async getNodeState(pipeline: string, node: string): Promise<NodeState | undefined> {
    const row = this.statement(`SELECT ${NODE_STATE_COLUMNS} FROM node_states WHERE pipeline = ? AND node = ?`).get(
      pipeline,
      node,
    ) as NodeStateRow | undefined;
    return row === undefined ? undefined : nodeStateFromRow(row);
  }

  async putNodeState(pipeline: string, node: string, state: NodeState): Promise<void> {
    this.statement(
      `INSERT OR REPLACE INTO node_states (${NODE_STATE_INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...nodeStateValues(pipeline, node, state));
  }
}
