/** A dataset type as a project declares it: the options a catalog entry of that type may set, and how to build one. */
import type { DatasetFactory } from "./dataset.ts";

/** The kind of value a catalog option takes; `credentials` names a set of credentials (resolved from the environment). */
export type DatasetOptionKind = "string" | "number" | "boolean" | "mapping" | "list" | "credentials";

/** One option a catalog entry of a type may set (as `path`, `load_args`, `credentials`). */
export interface DatasetOption {
  kind: DatasetOptionKind;
  /** Whether every entry of the type must set it. */
  required?: boolean;
  /** One line for the user: what it does, e.g. "papaparse options for reading (delimiter, header…)". */
  doc: string;
}

/** A dataset type: its options and its factory (a catalog entry of it sees only the options it declares). */
export interface DatasetType {
  /** One line: what the type stores, e.g. "a DataFrame in a CSV file". */
  doc: string;
  /** The options besides `type`, `pipelines`, `description` and `metadata`, which every entry may set. */
  options: Readonly<Record<string, DatasetOption>>;
  create: DatasetFactory;
}

/** Keys every catalog entry may set whatever its type, with what they mean. */
export const COMMON_OPTIONS: Readonly<Record<string, DatasetOption>> = {
  type: { kind: "string", required: true, doc: "the dataset type" },
  pipelines: { kind: "list", doc: "the pipelines an un-namespaced entry is shared with" },
  description: { kind: "string", doc: "what the dataset is, for people" },
  metadata: { kind: "mapping", doc: "free-form notes, never read by cellforge" },
};

/** The options of every file-backed type: where it is stored, and whether each run saves a new version. */
export const FILE_OPTIONS: Readonly<Record<string, DatasetOption>> = {
  path: { kind: "string", required: true, doc: "where the data is, relative to the project root" },
  versioned: {
    kind: "boolean",
    doc: "each run saves a timestamped version; loads read the latest (or --load-versions)",
  },
};

/** Declares a dataset type (an identity function, for type checking in cellforge.hooks.ts). */
export function defineDatasetType(type: DatasetType): DatasetType {
  return type;
}
