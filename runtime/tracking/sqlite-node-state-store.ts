/** Node states (what the runner remembers to skip unchanged nodes) in the SQLite tracking database. */
import type { NodeState, NodeStateStore } from "../pipeline/node-state.ts";
import { preparedStatements, type SqliteDatabase } from "./sqlite-database.ts";

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  return JSON.parse(text) as T;
}

/** Node-state metrics as a list; states written before steps were kept hold a name → value record. */
function metricList(stored: unknown): NodeState["metrics"] {
  if (Array.isArray(stored)) return stored as NodeState["metrics"];
  return Object.entries(stored as Record<string, number>).map(([name, value]) => ({ name, value, step: undefined }));
}

/** The `node_states` table of a tracking database. */
export class SqliteNodeStateStore implements NodeStateStore {
  /** The compiled statement for a SQL text, prepared on first use. */
  private readonly statement: ReturnType<typeof preparedStatements>;

  constructor(db: SqliteDatabase) {
    this.statement = preparedStatements(db);
  }

  async getNodeState(pipeline: string, node: string): Promise<NodeState | undefined> {
    const row = this.statement(
      "SELECT fingerprint, outputs, metrics, logged, run_id, updated_at FROM node_states WHERE pipeline = ? AND node = ?",
    ).get(pipeline, node) as
      | {
          fingerprint: string;
          outputs: string;
          metrics: string;
          logged: string;
          run_id: string | null;
          updated_at: number;
        }
      | undefined;
    if (row === undefined) return undefined;
    return {
      fingerprint: row.fingerprint,
      outputs: parseJson(row.outputs, {}),
      metrics: metricList(parseJson<unknown>(row.metrics, [])),
      logged: parseJson(row.logged, []),
      runId: row.run_id ?? undefined,
      updatedAt: row.updated_at,
    };
  }

  async putNodeState(pipeline: string, node: string, state: NodeState): Promise<void> {
    const insert = this.statement(
      "INSERT OR REPLACE INTO node_states (pipeline, node, fingerprint, outputs, metrics, logged, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    );
    insert.run(
      pipeline,
      node,
      state.fingerprint,
      JSON.stringify(state.outputs),
      JSON.stringify(state.metrics),
      JSON.stringify(state.logged),
      state.runId ?? null,
      state.updatedAt,
    );
  }
}
