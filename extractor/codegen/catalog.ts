// Catalog entries for the datasets a notebook loads and saves, merged into conf/base/catalog.yml without touching the user's edits.
// Entries are namespaced by pipeline (`capture.model`, data under data/<layer>/capture/), so two notebooks saving
// the same variable never share a file by accident; an un-namespaced entry whose `pipelines` lists the pipeline is shared on purpose.
import { readFile } from "node:fs/promises";
import { isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, type Document } from "yaml";
import type { DatasetType, TableShape } from "../analysis/dataset-types.ts";
import type { DatasetModel } from "../analysis/model.ts";
import { BUILTIN_DATASET_TYPES, stableCellLabel, writeFileAtomic } from "@cellforge/contract";

/** One dataset of conf/base/catalog.yml. */
export interface CatalogEntry {
  /** The entry's name: `<pipeline>.<dataset>`. */
  name: string;
  /** The dataset's name in the notebook and the pipeline (`model`). */
  dataset: string;
  pipeline: string;
  type: DatasetType;
  path: string;
  /** What a DuckDB-backed table hands the node (`arrow`, `rows`); absent for a DataFrame. */
  as?: TableShape;
  /** For a CSV the notebook loads: its reader options, kept in step with the notebook (empty: no `load_args`). */
  loadArgs?: Readonly<Record<string, string>>;
  /** Why the entry exists ("Saved by notebooks/train.ipynb code cell 13"), the comment above it, refreshed on each extract. */
  comment: string;
}

/** A catalog file that is not a YAML mapping of dataset names. */
export class CatalogError extends Error {
  override readonly name = "CatalogError";
  readonly code = "invalid-catalog";

  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}; fix the file (it maps dataset names to { type, path }) and extract again.`);
  }
}

/** Where models and the other artifacts of a predict cell go, whatever their type. */
const ARTIFACT_LAYER = "06_models";

/**
 * Where a saved dataset goes, following Kedro's data layers (the type's own, e.g. 02_intermediate for tables and
 * 08_reporting for plain data; a predict cell's artifacts with the models in 06_models), in a folder of the pipeline's own.
 */
function savePath(dataset: DatasetModel, pipeline: string): string {
  const facts = BUILTIN_DATASET_TYPES[dataset.type];
  return `data/${dataset.artifact ? ARTIFACT_LAYER : facts.layer}/${pipeline}/${dataset.name}${facts.extension}`;
}

/**
 * The catalog entries of a pipeline's datasets, in notebook order. Loaded datasets are namespaced too: the entry
 * keeps the path the notebook reads, so two pipelines reading one raw file have two entries naming the same path.
 */
export function catalogEntries(datasets: readonly DatasetModel[], source: string, pipeline: string): CatalogEntry[] {
  return datasets.map((dataset) => ({
    name: `${pipeline}.${dataset.name}`,
    dataset: dataset.name,
    pipeline,
    type: dataset.type,
    path: dataset.role === "load" && dataset.path !== undefined ? dataset.path : savePath(dataset, pipeline),
    ...(dataset.as === undefined ? {} : { as: dataset.as }),
    ...(dataset.loadArgs === undefined ? {} : { loadArgs: dataset.loadArgs }),
    comment: ` ${dataset.role === "load" ? "Loaded" : "Saved"} by ${source} ${stableCellLabel(dataset.ref)}`,
  }));
}

function parseCatalog(text: string, path: string): Document {
  const document = parseDocument(text);
  if (document.errors.length > 0)
    throw new CatalogError(path, `is not valid YAML (${document.errors[0]?.message ?? "parse error"})`);
  if (document.contents !== null && !isMap(document.contents))
    throw new CatalogError(path, "is not a mapping of dataset names");
  return document;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
}

/** Whether the catalog has the entry, or an un-namespaced one its `pipelines` shares with the entry's pipeline (as the runtime resolves names). */
function hasEntry(document: Document, entry: CatalogEntry): boolean {
  if (document.has(entry.name)) return true;
  const shared: unknown = document.get(entry.dataset);
  if (!isMap(shared)) return false;
  const pipelines: unknown = shared.get("pipelines", true);
  if (isSeq(pipelines)) return pipelines.items.some((item) => (isScalar(item) ? item.value : item) === entry.pipeline);
  return false;
}

/** The entries the catalog at `path` lacks (a missing file lacks them all). */
export async function missingCatalogEntries(path: string, entries: readonly CatalogEntry[]): Promise<CatalogEntry[]> {
  const text = await readText(path);
  if (text === undefined) return [...entries];
  const document = parseCatalog(text, path);
  return entries.filter((entry) => !hasEntry(document, entry));
}

/** A comment the extractor wrote above an entry: "# Saved by notebooks/train.ipynb code cell 13" (or the older "cell 27"). */
const GENERATED_COMMENT = String.raw`# (?:Loaded|Saved) by \S+ (?:code )?cell \d+`;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The catalog text with the comments the extractor wrote above its entries brought up to date (the cell moved, or an
 * older extractor numbered all cells); a comment the user wrote is left alone.
 */
function refreshComments(text: string, entries: readonly CatalogEntry[]): string {
  let refreshed = text;
  for (const entry of entries) {
    const comment = new RegExp(`^([ \\t]*)${GENERATED_COMMENT}$(?=\\r?\\n[ \\t]*${escapeRegExp(entry.name)}:)`, "m");
    refreshed = refreshed.replace(comment, (_line, indent: string) => `${indent}#${entry.comment}`);
  }
  return refreshed;
}

/**
 * Sets the `load_args` of the existing entry of a CSV the notebook loads to the reader options the notebook passes:
 * the notebook decides how its file is read (a delimiter added in a cell must reach the pipeline), and an entry
 * whose options already agree is left as it is, comments included.
 */
function keepLoadArgsInStep(document: Document, entry: CatalogEntry): boolean {
  if (entry.loadArgs === undefined) return false;
  const existing: unknown = document.get(entry.name);
  if (!isMap(existing)) return false;
  const current: unknown = existing.get("load_args");
  const now = isMap(current) ? (current.toJSON() as unknown) : current;
  const wanted = Object.keys(entry.loadArgs).length === 0 ? undefined : entry.loadArgs;
  if (JSON.stringify(now) === JSON.stringify(wanted)) return false;
  if (wanted === undefined) existing.delete("load_args");
  else existing.set("load_args", document.createNode(wanted));
  return true;
}

/**
 * The catalog text with the missing entries appended, the extractor's comments above existing ones refreshed and
 * the `load_args` of the notebook's CSVs in step with its cells; the user's comments, order and other fields are kept.
 */
export function mergeCatalogText(
  text: string | undefined,
  entries: readonly CatalogEntry[],
  path: string,
): { text: string; added: string[] } {
  const refreshed = text === undefined ? undefined : refreshComments(text, entries);
  const document = parseCatalog(refreshed ?? "", path);
  if (document.contents === null) document.contents = new YAMLMap();
  const added: string[] = [];
  let changed = false;
  for (const entry of entries) {
    if (hasEntry(document, entry)) {
      changed = keepLoadArgsInStep(document, entry) || changed;
      continue;
    }
    const key = new Scalar(entry.name);
    key.commentBefore = entry.comment;
    const pair = document.createPair(key, {
      type: entry.type,
      path: entry.path,
      ...(entry.as === undefined ? {} : { as: entry.as }),
      ...(entry.loadArgs === undefined || Object.keys(entry.loadArgs).length === 0
        ? {}
        : { load_args: entry.loadArgs }),
    });
    (document.contents as YAMLMap).items.push(pair);
    added.push(entry.name);
  }
  if (refreshed !== undefined && added.length === 0 && !changed) return { text: refreshed, added };
  return { text: document.toString({ lineWidth: 0 }), added };
}

/** Whether the catalog at `path` is as extract leaves it: no entry missing, no comment of the extractor's stale, every CSV read with the notebook's options. */
export async function catalogUpToDate(path: string, entries: readonly CatalogEntry[]): Promise<boolean> {
  const text = await readText(path);
  if (text === undefined) return entries.length === 0;
  return mergeCatalogText(text, entries, path).text === text;
}

/** Adds the missing entries to the catalog at `path` (creating it); returns the names added. */
export async function mergeCatalog(path: string, entries: readonly CatalogEntry[]): Promise<string[]> {
  const before = await readText(path);
  const { text, added } = mergeCatalogText(before, entries, path);
  if (text !== before) await writeFileAtomic(path, text);
  return added;
}
