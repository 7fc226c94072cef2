/**
 * The data catalog: dataset names → datasets, from conf/<env>/catalog.yml; unlisted names are in memory.
 * A pipeline's names resolve to its own namespaced entries first (namespaces.ts).
 */
import { checkEntry } from "./catalog-entry.ts";
import { Credentials } from "./credentials.ts";
import type { CatalogEntry, Dataset } from "./dataset.ts";
import type { DatasetType } from "./dataset-type.ts";
import { builtinDatasetTypes, type DatasetTypes } from "./dataset-types.ts";
import { CatalogConfigError } from "./errors.ts";
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
  /** The dataset types entries may name: the project's (loadProjectSetup); default the built-ins only. */
  types?: DatasetTypes;
  /** Where `credentials: NAME` options resolve from; default the process environment only. */
  credentials?: Credentials;
}

/** Named datasets of one project; one instance per run (it fixes the run's save version). */
export class Catalog {
  readonly root: string;
  readonly saveVersion: string;
  private readonly entries = new Map<string, CatalogEntry>();
  /** Each entry's dataset type, by entry name. */
  private readonly entryTypes = new Map<string, DatasetType>();
  private readonly datasets = new Map<string, Dataset>();
  private readonly loadVersions: Readonly<Record<string, string>>;
  private readonly pipeline: string | undefined;
  private readonly readOwnSaves: boolean;
  private readonly credentials: Credentials;

  constructor(entries: Readonly<Record<string, unknown>>, options: CatalogOptions) {
    this.root = options.root;
    this.pipeline = options.pipeline;
    this.saveVersion = options.saveVersion ?? versionAt();
    this.loadVersions = options.loadVersions ?? {};
    this.readOwnSaves = options.readOwnSaves ?? false;
    this.credentials = options.credentials ?? Credentials.fromEnvironment();
    const types = options.types ?? builtinDatasetTypes();
    for (const [name, raw] of Object.entries(entries)) {
      const { entry, type } = checkEntry(name, raw, types);
      this.entries.set(name, entry);
      this.entryTypes.set(name, type);
    }
    for (const [name] of Object.entries(this.loadVersions)) {
      const entryName = this.entryName(name);
      const entry = entryName === undefined ? undefined : this.entries.get(entryName);
      if (entry?.versioned !== true) {
        const listed = [...this.entries]
          .filter(([n, e]) => e.versioned === true && this.visible(n))
          .map(([n]) => this.localName(n));
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
    return this.pipeline !== undefined && entryName.startsWith(`${this.pipeline}.`)
      ? entryName.slice(this.pipeline.length + 1)
      : entryName;
  }

  /** The dataset called `name`; a memory dataset when the catalog does not list it. */
  get(name: string): Dataset {
    let dataset = this.datasets.get(name);
    if (dataset !== undefined) return dataset;
    const entryName = this.entryName(name);
    const entry = entryName === undefined ? undefined : this.entries.get(entryName);
    const type = entryName === undefined ? undefined : this.entryTypes.get(entryName);
    if (entry === undefined || type === undefined) {
      dataset = new MemoryDataset(name);
    } else {
      const context = {
        root: this.root,
        saveVersion: this.saveVersion,
        readOwnSaves: this.readOwnSaves,
        ...(this.loadVersions[name] === undefined ? {} : { loadVersion: this.loadVersions[name] }),
      };
      dataset = type.create(name, this.withCredentials(name, entry, type), context);
    }
    this.datasets.set(name, dataset);
    return dataset;
  }

  /** The entry with each `credentials` option's name replaced by the keys it resolves to (as Kedro hands them to a dataset). */
  private withCredentials(name: string, entry: CatalogEntry, type: DatasetType): CatalogEntry {
    const resolved: CatalogEntry = { ...entry };
    for (const [key, option] of Object.entries(type.options)) {
      const value = entry[key];
      if (option.kind === "credentials" && typeof value === "string")
        resolved[key] = this.credentials.resolve(name, value);
    }
    return resolved;
  }

  /**
   * The options of dataset `name`'s entry that its type declares, besides `path` and `versioned` (e.g. `load_args`),
   * as catalog.yml writes them: a `credentials` option stays the name, never the values. Empty when unlisted.
   */
  typeOptions(name: string): Record<string, unknown> {
    const entryName = this.entryName(name);
    const entry = entryName === undefined ? undefined : this.entries.get(entryName);
    const type = entryName === undefined ? undefined : this.entryTypes.get(entryName);
    if (entry === undefined || type === undefined) return {};
    const options: Record<string, unknown> = {};
    for (const key of Object.keys(type.options))
      if (key !== "path" && key !== "versioned" && entry[key] !== undefined) options[key] = entry[key];
    return options;
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
