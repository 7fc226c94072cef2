/**
 * The data catalog: dataset names → datasets, from conf/<env>/catalog.yml; unlisted names are in memory.
 * A pipeline's names resolve to its own namespaced entries first (namespaces.ts).
 */
import type { CatalogEntry, Dataset } from "./dataset.ts";
import { datasetFactory, knownDatasetTypes } from "./dataset-types.ts";
import { CatalogConfigError, UnknownDatasetTypeError } from "./errors.ts";
import { MemoryDataset } from "./memory-dataset.ts";
import { entryNameFor } from "./namespaces.ts";
import { versionAt } from "./versioning.ts";

/** How a catalog is built besides its entries. */
export interface CatalogOptions {
  /** Absolute project root. */
  root: string;
  /** The version versioned datasets save to; defaults to now. */
  saveVersion?: string;
  /** Pinned versions to load, by dataset name (`--load-versions name:VERSION`). */
  loadVersions?: Readonly<Record<string, string>>;
  /** The pipeline whose datasets these are: its names resolve to `<pipeline>.<name>` entries first. */
  pipeline?: string;
  /**
   * A run's catalog: each load reads what this catalog saved last (a snapshot, save-snapshot.ts), never what another
   * run saved at the same path since. Call `release()` when the run is over.
   */
  readOwnSaves?: boolean;
}

const ENTRY_KEYS = ["type", "path", "versioned", "pipelines", "description", "metadata"];

function checkEntry(name: string, raw: unknown): CatalogEntry {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new CatalogConfigError(`Catalog entry \`${name}\` must be a mapping with at least \`type\` (e.g. type: csv, path: data/01_raw/${name}.csv).`);
  }
  const entry = raw as Record<string, unknown>;
  if (typeof entry["type"] !== "string") {
    throw new CatalogConfigError(`Catalog entry \`${name}\` has no \`type\`; set one of: ${knownDatasetTypes().join(", ")}.`);
  }
  if (entry["path"] !== undefined && typeof entry["path"] !== "string") {
    throw new CatalogConfigError(`Catalog entry \`${name}\` has a \`path\` that is not a string.`);
  }
  if (entry["versioned"] !== undefined && typeof entry["versioned"] !== "boolean") {
    throw new CatalogConfigError(`Catalog entry \`${name}\` has \`versioned: ${JSON.stringify(entry["versioned"])}\`; use true or false.`);
  }
  const pipelines = entry["pipelines"];
  if (pipelines !== undefined && (!Array.isArray(pipelines) || !pipelines.every((p) => typeof p === "string"))) {
    throw new CatalogConfigError(`Catalog entry \`${name}\` has \`pipelines\` that is not a list of pipeline names (e.g. pipelines: [train, capture]).`);
  }
  const unknown = Object.keys(entry).filter((key) => !ENTRY_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new CatalogConfigError(
      `Catalog entry \`${name}\` has unknown key(s) ${unknown.map((k) => `\`${k}\``).join(", ")}; ` +
        `allowed: ${ENTRY_KEYS.join(", ")} (put free-form notes under \`metadata\`).`,
    );
  }
  return entry as CatalogEntry;
}

/** Named datasets of one project; one instance per run (it fixes the run's save version). */
export class Catalog {
  readonly root: string;
  readonly saveVersion: string;
  private readonly entries = new Map<string, CatalogEntry>();
  private readonly datasets = new Map<string, Dataset>();
  private readonly loadVersions: Readonly<Record<string, string>>;
  private readonly pipeline: string | undefined;
  private readonly readOwnSaves: boolean;

  constructor(entries: Readonly<Record<string, unknown>>, options: CatalogOptions) {
    this.root = options.root;
    this.pipeline = options.pipeline;
    this.saveVersion = options.saveVersion ?? versionAt();
    this.loadVersions = options.loadVersions ?? {};
    this.readOwnSaves = options.readOwnSaves ?? false;
    for (const [name, raw] of Object.entries(entries)) {
      const entry = checkEntry(name, raw);
      if (datasetFactory(entry.type) === undefined) throw new UnknownDatasetTypeError(name, entry.type, knownDatasetTypes());
      this.entries.set(name, entry);
    }
    for (const [name] of Object.entries(this.loadVersions)) {
      const entryName = this.entryName(name);
      const entry = entryName === undefined ? undefined : this.entries.get(entryName);
      if (entry?.versioned !== true) {
        const listed = [...this.entries].filter(([n, e]) => e.versioned === true && this.visible(n)).map(([n]) => this.localName(n));
        throw new CatalogConfigError(
          `--load-versions names \`${name}\`, which is not a versioned dataset in the catalog` +
            (listed.length > 0 ? ` (versioned: ${listed.join(", ")}).` : " (no dataset has `versioned: true`)."),
        );
      }
    }
  }

  /**
   * The catalog entry a dataset name of this catalog's pipeline stands for: `<pipeline>.<name>`, else
   * an un-namespaced `<name>` (shared: by every pipeline, or by those its `pipelines` lists).
   */
  entryName(name: string): string | undefined {
    return entryNameFor(this.entries, name, this.pipeline);
  }

  /** Whether the entry called `entryName` is one this catalog's pipeline can name. */
  private visible(entryName: string): boolean {
    return this.entryName(this.localName(entryName)) === entryName;
  }

  /** The name this catalog's pipeline uses for the entry called `entryName`. */
  private localName(entryName: string): string {
    return this.pipeline !== undefined && entryName.startsWith(`${this.pipeline}.`) ? entryName.slice(this.pipeline.length + 1) : entryName;
  }

  /** The dataset called `name`; a memory dataset when the catalog does not list it. */
  get(name: string): Dataset {
    let dataset = this.datasets.get(name);
    if (dataset !== undefined) return dataset;
    const entryName = this.entryName(name);
    const entry = entryName === undefined ? undefined : this.entries.get(entryName);
    if (entry === undefined) {
      dataset = new MemoryDataset(name);
    } else {
      const factory = datasetFactory(entry.type);
      if (factory === undefined) throw new UnknownDatasetTypeError(name, entry.type, knownDatasetTypes());
      const context = {
        root: this.root,
        saveVersion: this.saveVersion,
        readOwnSaves: this.readOwnSaves,
        ...(this.loadVersions[name] === undefined ? {} : { loadVersion: this.loadVersions[name] }),
      };
      dataset = factory(name, entry, context);
    }
    this.datasets.set(name, dataset);
    return dataset;
  }

  /** Whether catalog.yml lists `name` for this catalog's pipeline. */
  lists(name: string): boolean {
    return this.entryName(name) !== undefined;
  }

  /** The names catalog.yml lists. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Loads dataset `name`. */
  async load(name: string): Promise<unknown> {
    return this.get(name).load();
  }

  /** Saves `data` as dataset `name`. */
  async save(name: string, data: unknown): Promise<void> {
    await this.get(name).save(data);
  }

  /** Frees what the datasets keep for this run (snapshots of what they saved); call when the run is over. */
  async release(): Promise<void> {
    for (const dataset of this.datasets.values()) await dataset.release?.();
  }
}
