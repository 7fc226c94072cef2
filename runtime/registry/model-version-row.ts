/** A model version as both SQL stores keep it: one `model_versions` row, its JSON fields as text. */
import type { ModelArtifact, ModelVersion } from "./registry-store.ts";

/** A `model_versions` row (the same columns in SQLite and PostgreSQL). */
export interface ModelVersionRow {
  name: string;
  version: number;
  run_id: string | null;
  created_at: number;
  artifacts: string;
  input_schema: string;
  output_schema: string;
  metrics: string;
  training_data_digest: string | null;
  inputs: string;
  predict_code_hash: string | null;
  predict_parameters: string | null;
}

/** The version a row records, with the aliases that point at it. */
export function modelVersionFromRow(row: ModelVersionRow, aliases: string[]): ModelVersion {
  return {
    name: row.name,
    version: row.version,
    runId: row.run_id ?? undefined,
    createdAt: row.created_at,
    artifacts: JSON.parse(row.artifacts) as ModelArtifact[],
    inputSchema: JSON.parse(row.input_schema) as Record<string, unknown>,
    outputSchema: JSON.parse(row.output_schema) as Record<string, unknown>,
    metrics: JSON.parse(row.metrics) as Record<string, number>,
    trainingDataDigest: row.training_data_digest ?? undefined,
    inputs: JSON.parse(row.inputs) as ModelVersion["inputs"],
    predictCodeHash: row.predict_code_hash ?? undefined,
    ...(row.predict_parameters === null
      ? {}
      : { predictParameters: JSON.parse(row.predict_parameters) as Record<string, unknown> }),
    aliases,
  };
}
