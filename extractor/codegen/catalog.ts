// Catalog entries for the datasets a notebook loads and saves, merged into conf/base/catalog.yml without touching the user's edits.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { isMap, parseDocument, Scalar, YAMLMap, type Document } from "yaml";
import type { DatasetType } from "../analysis/dataset-types.ts";
import type { DatasetModel } from "../analysis/model.ts";

/** One dataset of conf/base/catalog.yml. */
export interface CatalogEntry {
  name: string;
  type: DatasetType;
  path: string;
  /** Why the entry exists, written as a comment above it when it is added. */
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

const EXTENSION: Record<DatasetType, string> = { csv: ".csv", json: ".json", text: ".txt", "tfjs-model": "" };

/** Where a saved dataset goes, following Kedro's data layers: models and their artifacts in 06_models, tables in 02_intermediate, the rest in 08_reporting. */
function savePath(dataset: DatasetModel): string {
  const layer = dataset.type === "tfjs-model" || dataset.artifact ? "06_models" : dataset.type === "csv" ? "02_intermediate" : "08_reporting";
  return `data/${layer}/${dataset.name}${EXTENSION[dataset.type]}`;
}

/** The catalog entries of a pipeline's datasets, in notebook order. */
export function catalogEntries(datasets: readonly DatasetModel[], source: string): CatalogEntry[] {
  return datasets.map((dataset) => ({
    name: dataset.name,
    type: dataset.type,
    path: dataset.role === "load" && dataset.path !== undefined ? dataset.path : savePath(dataset),
    comment: ` ${dataset.role === "load" ? "Loaded" : "Saved"} by ${source} cell ${dataset.cell}`,
  }));
}

function parseCatalog(text: string, path: string): Document {
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new CatalogError(path, `is not valid YAML (${document.errors[0]?.message ?? "parse error"})`);
  if (document.contents !== null && !isMap(document.contents)) throw new CatalogError(path, "is not a mapping of dataset names");
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

/** The entries the catalog at `path` lacks (a missing file lacks them all). */
export async function missingCatalogEntries(path: string, entries: readonly CatalogEntry[]): Promise<CatalogEntry[]> {
  const text = await readText(path);
  if (text === undefined) return [...entries];
  const document = parseCatalog(text, path);
  return entries.filter((entry) => !document.has(entry.name));
}

/** The catalog text with the missing entries appended; comments, order and existing entries are kept as they are. */
export function mergeCatalogText(text: string | undefined, entries: readonly CatalogEntry[], path: string): { text: string; added: string[] } {
  const document = parseCatalog(text ?? "", path);
  if (document.contents === null) document.contents = new YAMLMap();
  const added: string[] = [];
  for (const entry of entries) {
    if (document.has(entry.name)) continue;
    const key = new Scalar(entry.name);
    key.commentBefore = entry.comment;
    const pair = document.createPair(key, { type: entry.type, path: entry.path });
    (document.contents as YAMLMap).items.push(pair);
    added.push(entry.name);
  }
  if (text !== undefined && added.length === 0) return { text, added };
  return { text: document.toString({ lineWidth: 0 }), added };
}

/** Writes `text` to `path` atomically (temp file + rename), creating folders. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}

/** Adds the missing entries to the catalog at `path` (creating it); returns the names added. */
export async function mergeCatalog(path: string, entries: readonly CatalogEntry[]): Promise<string[]> {
  const before = await readText(path);
  const { text, added } = mergeCatalogText(before, entries, path);
  if (text !== before) await writeAtomically(path, text);
  return added;
}
