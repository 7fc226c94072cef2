/**
 * Which registered version `cellforge serve [REF]` serves, re-read on every reload: an explicit
 * `NAME:VERSION` or `NAME@ALIAS` is taken as is; a bare `NAME`, or nothing (the project's only
 * model, else `train`), means that model's `@champion` alias when it exists, else its latest version.
 */
import type { ModelRegistry } from "../registry/model-registry.ts";
import { ModelNotFoundError, SeveralModelsError } from "../registry/errors.ts";
import { formatModelRef, parseModelRef, type ModelRef } from "../registry/model-ref.ts";
import type { ModelVersion } from "../registry/registry-store.ts";

/** The alias a bare model name is served at when it exists. */
export const DEFAULT_ALIAS = "champion";

/** What to serve, as given on the command line. */
export type ServedReference = { kind: "exact"; ref: ModelRef } | { kind: "default"; name: string | undefined };

/** Reads the command line's `[NAME[@alias|:version]]`. */
export function parseServedReference(text: string | undefined): ServedReference {
  if (text === undefined) return { kind: "default", name: undefined };
  const ref = parseModelRef(text);
  return ref.kind === "latest" ? { kind: "default", name: ref.name } : { kind: "exact", ref };
}

/** The reference as the user would write it: "train@champion", "train:3", "train (@champion, else latest)". */
export function describeServedReference(reference: ServedReference): string {
  if (reference.kind === "exact") return formatModelRef(reference.ref);
  return `${reference.name ?? "the project's model"} (@${DEFAULT_ALIAS}, else its latest version)`;
}

/** The model served when none is named: the project's only registered model, else `train`; refused when there is none or several. */
export async function defaultModelName(registry: ModelRegistry): Promise<string> {
  const names = (await registry.listModels()).map((m) => m.name);
  if (names.length === 1) return names[0]!;
  if (names.includes("train")) return "train";
  if (names.length === 0)
    throw new ModelNotFoundError(
      "No model is registered yet: run a pipeline that has a predict cell (npx cellforge run), then serve it.",
    );
  throw new SeveralModelsError(names, `cellforge serve ${names[0]}@${DEFAULT_ALIAS}`);
}

/** The version `reference` names in the registry now. */
export async function resolveServedVersion(registry: ModelRegistry, reference: ServedReference): Promise<ModelVersion> {
  if (reference.kind === "exact") return registry.resolve(reference.ref);
  const name = reference.name ?? (await defaultModelName(registry));
  const versions = await registry.listVersions(name);
  const champion = versions.find((v) => v.aliases.includes(DEFAULT_ALIAS));
  return champion ?? registry.resolve({ name, kind: "latest" });
}
