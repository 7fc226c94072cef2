/** The `Dataset` interface every catalog entry implements (Kedro's AbstractDataset). */

/** What a dataset is, for logs, errors and tracking. */
export interface DatasetDescription {
  name: string;
  type: string;
  /** Relative to the project root; absent for in-memory datasets. */
  path?: string;
  versioned: boolean;
  /** The version loads read (pinned or latest), when versioned and one exists. */
  loadVersion?: string;
  /** The version saves write, when versioned. */
  saveVersion?: string;
}

/** One stored file of a dataset, with its content hash. */
export interface StoredFile {
  /** Absolute path. */
  path: string;
  sha256: string;
  size: number;
}

/** A named piece of data the pipeline reads or writes through the catalog. */
export interface Dataset<T = unknown> {
  readonly name: string;
  readonly type: string;
  /** False for in-memory datasets, whose data ends with the process. */
  readonly persisted: boolean;
  load(): Promise<T>;
  save(data: T): Promise<void>;
  describe(): DatasetDescription;
  /** Whether there is data to load. */
  exists(): Promise<boolean>;
  /** sha256 of the stored content (of all files, for a folder), or undefined when nothing is stored. */
  digest(): Promise<string | undefined>;
  /** The files that hold the data to load, with their hashes; empty when nothing is stored. */
  files(): Promise<StoredFile[]>;
  /** Number of rows of `data` when it is tabular, else undefined. */
  rows(data: T): number | undefined;
  /** Frees what the dataset keeps for its run (a memory value, a snapshot of what it saved): no node loads it any more. */
  release?(): void | Promise<void>;
}

/** What a dataset factory gets besides its catalog entry. */
export interface DatasetContext {
  /** Absolute project root: paths resolve against it and may not leave it. */
  root: string;
  /** The version a versioned dataset saves to (one per run, as Kedro's save_version). */
  saveVersion: string;
  /** A pinned version to load instead of the latest, from `--load-versions`. */
  loadVersion?: string;
  /** Loads read what this catalog saved last rather than the shared path, which another run may have rewritten (a run's catalog). */
  readOwnSaves?: boolean;
}

/** One entry of conf/base/catalog.yml. */
export interface CatalogEntry {
  type: string;
  path?: string;
  versioned?: boolean;
  /** Type-specific options. */
  [option: string]: unknown;
}

/** Builds a dataset from its catalog entry. */
export type DatasetFactory = (name: string, entry: CatalogEntry, context: DatasetContext) => Dataset;
