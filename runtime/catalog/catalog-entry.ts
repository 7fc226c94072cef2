/** Checks a catalog.yml entry against the options its dataset type declares, before anything is built from it. */
import { didYouMean } from "@cellforge/contract";
import type { CatalogEntry } from "./dataset.ts";
import { COMMON_OPTIONS, type DatasetOption, type DatasetType } from "./dataset-type.ts";
import type { DatasetTypes } from "./dataset-types.ts";
import { CatalogConfigError, UnknownDatasetTypeError } from "./errors.ts";

const EXAMPLES: Record<DatasetOption["kind"], string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  mapping: "a mapping (key: value lines)",
  list: "a list (e.g. [a, b])",
  credentials: "the name of a set of credentials (conf/local/credentials.yml or CELLFORGE_CREDENTIALS_<NAME>_<KEY>)",
};

function fits(value: unknown, option: DatasetOption): boolean {
  switch (option.kind) {
    case "string":
    case "credentials":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
    case "mapping":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "list":
      return Array.isArray(value);
  }
}

/** Every key an entry of `type` may set, `type` first, then the type's own, then the common ones. */
export function entryOptions(type: DatasetType): [string, DatasetOption][] {
  const { type: typeKey, ...common } = COMMON_OPTIONS;
  return [["type", typeKey!], ...Object.entries(type.options), ...Object.entries(common)];
}

/** The entry `raw` called `name`, checked against its type in `types`; throws CatalogConfigError or UnknownDatasetTypeError. */
export function checkEntry(
  name: string,
  raw: unknown,
  types: DatasetTypes,
): { entry: CatalogEntry; type: DatasetType } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new CatalogConfigError(
      `Catalog entry \`${name}\` must be a mapping with at least \`type\` (e.g. type: csv, path: data/01_raw/${name}.csv).`,
    );
  }
  const entry = raw as Record<string, unknown>;
  const typeName = entry["type"];
  if (typeof typeName !== "string") {
    throw new CatalogConfigError(`Catalog entry \`${name}\` has no \`type\`; set one of: ${types.names().join(", ")}.`);
  }
  const type = types.get(typeName);
  if (type === undefined) throw new UnknownDatasetTypeError(name, typeName, types.names(), types.closest(typeName));
  const options = entryOptions(type);
  const allowed = options.map(([key]) => key);
  const unknown = Object.keys(entry).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    const suggestions = unknown
      .map((key) => [key, didYouMean(key, allowed)] as const)
      .filter(([, closest]) => closest !== undefined);
    throw new CatalogConfigError(
      `Catalog entry \`${name}\` has unknown key(s) ${unknown.map((k) => `\`${k}\``).join(", ")}; ` +
        `allowed: ${allowed.join(", ")} (type ${typeName}: ${options.map(([key, option]) => `${key}: ${option.doc}`).join("; ")}).` +
        suggestions.map(([key, closest]) => ` Did you mean \`${closest}\` for \`${key}\`?`).join("") +
        " Put free-form notes under `metadata`.",
    );
  }
  for (const [key, option] of options) {
    const value = entry[key];
    if (value === undefined) {
      if (option.required === true)
        throw new CatalogConfigError(
          `Dataset \`${name}\` (type ${typeName}) needs a \`${key}\` in conf/base/catalog.yml. \`${key}\`: ${option.doc}.`,
        );
      continue;
    }
    if (key === "pipelines" && !(Array.isArray(value) && value.every((p) => typeof p === "string"))) {
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` has \`pipelines\` that is not a list of pipeline names (e.g. pipelines: [train, capture]).`,
      );
    }
    if (!fits(value, option)) {
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` has \`${key}: ${JSON.stringify(value)}\`; \`${key}\` (${option.doc}) takes ${EXAMPLES[option.kind]}.`,
      );
    }
  }
  return { entry: entry as CatalogEntry, type };
}
