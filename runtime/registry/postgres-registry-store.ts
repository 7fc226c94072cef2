/** The model registry in the PostgreSQL store: versions and aliases beside the runs. */
import { modelVersionFromRow, type ModelVersionRow } from "./model-version-row.ts";
import type { PostgresDatabase } from "../tracking/postgres-database.ts";
import type { PostgresLocks } from "../tracking/postgres-locks.ts";
import type { HeldLock } from "../tracking/store.ts";
import { ModelVersionTakenError } from "./errors.ts";
import type { ModelArtifact, ModelSummary, ModelVersion, NewModelVersion, RegistryStore } from "./registry-store.ts";

/** Model versions and aliases in PostgreSQL. */
export class PostgresRegistryStore implements RegistryStore {
  constructor(
    private readonly db: PostgresDatabase,
    private readonly locks: PostgresLocks,
  ) {}

  lock(name: string): Promise<HeldLock> {
    return this.locks.acquire(name);
  }

  private async aliasesByVersion(name: string): Promise<Map<number, string[]>> {
    const rows = await this.db.query<{ alias: string; version: number }>(
      'SELECT alias, version FROM model_aliases WHERE name = $1 ORDER BY alias COLLATE "C"',
      [name],
    );
    const aliases = new Map<number, string[]>();
    for (const row of rows) aliases.set(row.version, [...(aliases.get(row.version) ?? []), row.alias]);
    return aliases;
  }

  async addModelVersion(
    record: NewModelVersion,
    version: number,
    artifacts: readonly ModelArtifact[],
  ): Promise<ModelVersion> {
    const inserted = await this.db.query<{ version: number }>(
      `INSERT INTO model_versions (name, version, run_id, created_at, artifacts, input_schema, output_schema, metrics, training_data_digest, inputs, predict_code_hash, predict_parameters)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (name, version) DO NOTHING RETURNING version`,
      [
        record.name,
        version,
        record.runId ?? null,
        Date.now(),
        JSON.stringify(artifacts),
        JSON.stringify(record.inputSchema),
        JSON.stringify(record.outputSchema),
        JSON.stringify(record.metrics),
        record.trainingDataDigest ?? null,
        JSON.stringify(record.inputs),
        record.predictCodeHash ?? null,
        record.predictParameters === undefined ? null : JSON.stringify(record.predictParameters),
      ],
    );
    if (inserted.length === 0) throw new ModelVersionTakenError(record.name, version);
    return (await this.getModelVersion(record.name, version))!;
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    const [row] = await this.db.query<ModelVersionRow>(
      "SELECT * FROM model_versions WHERE name = $1 AND version = $2",
      [name, version],
    );
    if (row === undefined) return undefined;
    return modelVersionFromRow(row, (await this.aliasesByVersion(name)).get(version) ?? []);
  }

  async listModelVersions(name: string): Promise<ModelVersion[]> {
    const rows = await this.db.query<ModelVersionRow>("SELECT * FROM model_versions WHERE name = $1 ORDER BY version", [
      name,
    ]);
    const aliases = await this.aliasesByVersion(name);
    return rows.map((row) => modelVersionFromRow(row, aliases.get(row.version) ?? []));
  }

  async listModels(): Promise<ModelSummary[]> {
    const rows = await this.db.query<{ name: string; latest: number; versions: number; updated: number }>(
      'SELECT name, max(version) AS latest, count(*) AS versions, max(created_at) AS updated FROM model_versions GROUP BY name ORDER BY name COLLATE "C"',
    );
    const aliases = new Map<string, [string, number][]>();
    for (const alias of await this.db.query<{ name: string; alias: string; version: number }>(
      'SELECT name, alias, version FROM model_aliases ORDER BY name COLLATE "C", alias COLLATE "C"',
    ))
      aliases.set(alias.name, [...(aliases.get(alias.name) ?? []), [alias.alias, alias.version]]);
    return rows.map((row) => ({
      name: row.name,
      latestVersion: row.latest,
      versions: row.versions,
      aliases: Object.fromEntries(aliases.get(row.name) ?? []),
      updatedAt: row.updated,
    }));
  }

  async setAlias(name: string, alias: string, version: number): Promise<number | undefined> {
    return this.db.transaction(async (db) => {
      const [previous] = await db.query<{ version: number }>(
        "SELECT version FROM model_aliases WHERE name = $1 AND alias = $2 FOR UPDATE",
        [name, alias],
      );
      await db.query(
        `INSERT INTO model_aliases (name, alias, version, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at`,
        [name, alias, version, Date.now()],
      );
      return previous?.version;
    });
  }

  async getAlias(name: string, alias: string): Promise<number | undefined> {
    const [row] = await this.db.query<{ version: number }>(
      "SELECT version FROM model_aliases WHERE name = $1 AND alias = $2",
      [name, alias],
    );
    return row?.version;
  }
}
