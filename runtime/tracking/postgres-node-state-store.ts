/** Node states (what the runner remembers to skip unchanged nodes) in the PostgreSQL store. */
import type { NodeState, NodeStateStore } from "../pipeline/node-state.ts";
import type { PostgresDatabase } from "./postgres-database.ts";

/** The `node_states` table of a PostgreSQL store. */
export class PostgresNodeStateStore implements NodeStateStore {
  constructor(private readonly db: PostgresDatabase) {}

  async getNodeState(pipeline: string, node: string): Promise<NodeState | undefined> {
    const [row] = await this.db.query<{
      fingerprint: string;
      outputs: string;
      metrics: string;
      logged: string;
      run_id: string | null;
      updated_at: number;
    }>(
      "SELECT fingerprint, outputs, metrics, logged, run_id, updated_at FROM node_states WHERE pipeline = $1 AND node = $2",
      [pipeline, node],
    );
    if (row === undefined) return undefined;
    return {
      fingerprint: row.fingerprint,
      outputs: JSON.parse(row.outputs) as NodeState["outputs"],
      metrics: JSON.parse(row.metrics) as NodeState["metrics"],
      logged: JSON.parse(row.logged) as NodeState["logged"],
      runId: row.run_id ?? undefined,
      updatedAt: row.updated_at,
    };
  }

  async putNodeState(pipeline: string, node: string, state: NodeState): Promise<void> {
    await this.db.query(
      `INSERT INTO node_states (pipeline, node, fingerprint, outputs, metrics, logged, run_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (pipeline, node) DO UPDATE SET fingerprint = excluded.fingerprint, outputs = excluded.outputs, metrics = excluded.metrics,
         logged = excluded.logged, run_id = excluded.run_id, updated_at = excluded.updated_at`,
      [
        pipeline,
        node,
        state.fingerprint,
        JSON.stringify(state.outputs),
        JSON.stringify(state.metrics),
        JSON.stringify(state.logged),
        state.runId ?? null,
        state.updatedAt,
      ],
    );
  }
}
