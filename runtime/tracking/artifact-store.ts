/**
 * Where artifact files live (MLflow's artifact repositories): model versions and, later, run
 * artifacts, by key (`NAME/VERSION`). local-artifact-store.ts keeps them in a folder of the project;
 * a shared object store is another implementation. Writes are staged, checked and appear whole.
 */

/** One file of an entry: its path inside the entry (`weights.bin`, `sub/a.json`), its sha256 and size. */
export interface ArtifactFile {
  relative: string;
  sha256: string;
  size: number;
}

/** A local file or folder to put under a key as entry `name`, with the files it must hold. */
export interface ArtifactEntry {
  name: string;
  source: string;
  /** A folder source is put as the entry itself; a file source keeps its name inside the entry. */
  folder: boolean;
  expected: readonly ArtifactFile[];
}

/** What `put` stored for one entry: where to read it and its files, as paths a reader resolves with `path`. */
export interface StoredEntry {
  name: string;
  /** The file or folder to give a dataset type. */
  location: string;
  files: { location: string; sha256: string; size: number }[];
}

/** A stored file whose sha256 is not the one expected, or that is gone. */
export interface ArtifactMismatch {
  location: string;
  expected: string;
  /** undefined when the file is missing. */
  actual: string | undefined;
}

/** A store of artifact files. */
export interface ArtifactStore {
  /** The folder stored locations are relative to (the project, or a shared artifact root): datasets load them against it. */
  readonly root: string;
  /**
   * Copies `entries` under `key`, checks every copied file's sha256 against `expected` (else
   * ArtifactIntegrityError, nothing stored), and makes them appear under `key` at once, marked
   * pending until `settle(key)`. A key left pending by an interrupted put is replaced; any other
   * existing key is refused with ArtifactKeyTakenError.
   */
  put(key: string, entries: readonly ArtifactEntry[]): Promise<StoredEntry[]>;
  /** Marks `key` complete: a later `put` of it is refused. */
  settle(key: string): Promise<void>;
  /** The location of `key` when it holds a settled put, so that a `put` of it would be refused; undefined when free (or left by an interrupted put). */
  taken(key: string): Promise<string | undefined>;
  /** The local path of a stored location (a download for a remote store). */
  path(location: string): string;
  /** The files of `files` whose content is not the sha256 recorded (or that are gone), in order. */
  verify(files: readonly { location: string; sha256: string }[]): Promise<ArtifactMismatch[]>;
  remove(key: string): Promise<void>;
  /** The keys directly under `prefix` (`""` for the top), sorted. */
  list(prefix: string): Promise<string[]>;
}

/** A copied file whose sha256 is not the one the source recorded. */
export class ArtifactIntegrityError extends Error {
  readonly code = "ARTIFACT_INTEGRITY";
  constructor(
    readonly entry: string,
    readonly source: string,
  ) {
    super(
      `The copy of \`${entry}\` (${source}) does not have the sha256 recorded for it: the source was modified after it was recorded.`,
    );
    this.name = "ArtifactIntegrityError";
  }
}

/** A key that already holds complete artifacts. */
export class ArtifactKeyTakenError extends Error {
  readonly code = "ARTIFACT_KEY_TAKEN";
  constructor(
    readonly key: string,
    readonly location: string,
  ) {
    super(`${location} already exists; artifacts are never overwritten. Move it away, then try again.`);
    this.name = "ArtifactKeyTakenError";
  }
}
