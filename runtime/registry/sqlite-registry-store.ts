/** The model registry in the tracking database (SQLite). */
import { modelVersionFromRow, type ModelVersionRow } from "./model-version-row.ts";
import { currentProcess, isProcessAlive } from "../tracking/process-identity.ts";
import { preparedStatements, type SqliteDatabase } from "../tracking/sqlite-database.ts";
import { SqliteLocks } from "../tracking/sqlite-locks.ts";
import type { HeldLock } from "../tracking/store.ts";
import { ModelVersionTakenError } from "./errors.ts";
import type { ModelArtifact, ModelSummary, ModelVersion, NewModelVersion, RegistryStore } from "./registry-store.ts";

/** Model versions and aliases in SQLite; shares the tracking store's database. */
export class SqliteRegistryStore implements RegistryStore {
  /** The compiled statement for a SQL text, prepared on first use. */
  private readonly statement: ReturnType<typeof preparedStatements>;

  private readonly locks: SqliteLocks;

  constructor(private readonly db: SqliteDatabase) {
    this.statement = preparedStatements(db);
    this.locks = new SqliteLocks(db, currentProcess(), isProcessAlive);
  }

  lock(name: string): Promise<HeldLock> {
    return this.locks.acquire(name);
  }

  private aliasesOf(name: string, version: number): string[] {
    return (
      this.statement("SELECT alias FROM model_aliases WHERE name = ? AND version = ? ORDER BY alias").all(
        name,
        version,
      ) as { alias: string }[]
    ).map((r) => r.alias);
  }

  /** The aliases of every version of model `name`, in one query: version → aliases in alias order. */
  private aliasesByVersion(name: string): Map<number, string[]> {
    const rows = this.statement("SELECT alias, version FROM model_aliases WHERE name = ? ORDER BY alias").all(name) as {
      alias: string;
      version: number;
    }[];
    const aliases = new Map<number, string[]>();
    for (const row of rows) {
      const list = aliases.get(row.version) ?? [];
      list.push(row.alias);
      aliases.set(row.version, list);
    }
    return aliases;
  }

  async addModelVersion(
    record: NewModelVersion,
    version: number,
    artifacts: readonly ModelArtifact[],
  ): Promise<ModelVersion> {
    this.db
      .transaction(() => {
        const taken = this.statement("SELECT 1 FROM model_versions WHERE name = ? AND version = ?").get(
          record.name,
          version,
        );
        if (taken !== undefined) throw new ModelVersionTakenError(record.name, version);
        this.statement(
          `INSERT INTO model_versions (name, version, run_id, created_at, artifacts, input_schema, output_schema, metrics, training_data_digest, inputs, predict_code_hash, predict_parameters)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
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
        );
      })
      .immediate();
    return (await this.getModelVersion(record.name, version))!;
  }

  async getModelVersion(name: string, version: number): Promise<ModelVersion | undefined> {
    const row = this.statement("SELECT * FROM model_versions WHERE name = ? AND version = ?").get(name, version) as
      ModelVersionRow | undefined;
    return row === undefined ? undefined : modelVersionFromRow(row, this.aliasesOf(name, version));
  }

  async listModelVersions(name: string): Promise<ModelVersion[]> {
    const rows = this.statement("SELECT * FROM model_versions WHERE name = ? ORDER BY version").all(
      name,
    ) as ModelVersionRow[];
    const aliases = this.aliasesByVersion(name);
    return rows.map((row) => modelVersionFromRow(row, aliases.get(row.version) ?? []));
  }

  async listModels(): Promise<ModelSummary[]> {
    const rows = this.statement(
      "SELECT name, max(version) AS latest, count(*) AS versions, max(created_at) AS updated FROM model_versions GROUP BY name ORDER BY name",
    ).all() as {
      name: string;
      latest: number;
      versions: number;
      updated: number;
    }[];
    // Every model's aliases in one query, grouped by name in alias order.
    const aliases = new Map<string, [string, number][]>();
    for (const alias of this.statement("SELECT name, alias, version FROM model_aliases ORDER BY name, alias").all() as {
      name: string;
      alias: string;
      version: number;
    }[]) {
      const entries = aliases.get(alias.name) ?? [];
      entries.push([alias.alias, alias.version]);
      aliases.set(alias.name, entries);
    }
    return rows.map((row) => ({
      name: row.name,
      latestVersion: row.latest,
      versions: row.versions,
      aliases: Object.fromEntries(aliases.get(row.name) ?? []),
      updatedAt: row.updated,
    }));
  }

  async setAlias(name: string, alias: string, version: number): Promise<number | undefined> {
    return this.db
      .transaction(() => {
        const previous = this.statement("SELECT version FROM model_aliases WHERE name = ? AND alias = ?").get(
          name,
          alias,
        ) as { version: number } | undefined;
        this.statement(
          "INSERT OR REPLACE INTO model_aliases (name, alias, version, updated_at) VALUES (?, ?, ?, ?)",
        ).run(name, alias, version, Date.now());
        return previous?.version;
      })
      .immediate();
  }

  async getAlias(name: string, alias: string): Promise<number | undefined> {
    const row = this.statement("SELECT version FROM model_aliases WHERE name = ? AND alias = ?").get(name, alias) as
      { version: number } | undefined;
    return row?.version;
  }
}
