/** What every file-backed dataset shares: path resolution, versions, atomic saves, digests. */
import { stat } from "node:fs/promises";
import type { CatalogEntry, Dataset, DatasetContext, DatasetDescription, StoredFile } from "./dataset.ts";
import { combinedDigest, storedFile, storedFilesUnder } from "./digest.ts";
import { readFolderWhole, writeAtomically } from "./atomic-write.ts";
import { CatalogError, DatasetIOError, DatasetNotFoundError, VersionNotFoundError } from "./errors.ts";
import { projectRelative, resolveInProject } from "./project-path.ts";
import { dropSnapshot, snapshotSave } from "./save-snapshot.ts";
import { listVersions, versionedPath } from "./versioning.ts";

async function present(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A dataset stored at a path in the project: a file, or a folder when `folder` is true. */
export abstract class FileDataset<T> implements Dataset<T> {
  readonly persisted = true;
  /** Absolute path from the catalog (the versions' parent folder when versioned). */
  readonly path: string;
  readonly versioned: boolean;
  protected readonly context: DatasetContext;
  /** This catalog's own snapshot of what it last saved (save-snapshot.ts): later loads in the run read it. */
  private saved: string | undefined;

  constructor(
    readonly name: string,
    readonly type: string,
    entry: CatalogEntry,
    context: DatasetContext,
    /** The path names a folder of files rather than one file. */
    readonly folder = false,
  ) {
    if (typeof entry.path !== "string" || entry.path === "") {
      throw new CatalogError(
        "CATALOG_CONFIG",
        `Dataset \`${name}\` (type ${type}) needs a \`path\` in conf/base/catalog.yml.`,
      );
    }
    this.path = resolveInProject(context.root, entry.path, name);
    this.versioned = entry.versioned === true;
    this.context = context;
  }

  /** Reads the data stored at `path`. */
  protected abstract read(path: string): Promise<T>;
  /** Writes `data` at `path`, a fresh temporary location that is renamed into place afterwards. */
  protected abstract write(path: string, data: T): Promise<void>;

  /** The path loads read: the pinned version, else the latest, else the plain path. */
  async loadPath(): Promise<string> {
    if (!this.versioned) return this.path;
    const versions = await listVersions(this.path);
    const pinned = this.context.loadVersion;
    if (pinned !== undefined) {
      if (!versions.includes(pinned)) throw new VersionNotFoundError(this.name, pinned, versions);
      return versionedPath(this.path, pinned);
    }
    const latest = versions.at(-1);
    if (latest === undefined)
      throw new DatasetNotFoundError(this.name, this.relative(this.path), "It has no saved version yet.");
    return versionedPath(this.path, latest);
  }

  /** The path saves write. */
  savePath(): string {
    return this.versioned ? versionedPath(this.path, this.context.saveVersion) : this.path;
  }

  protected relative(path: string): string {
    return projectRelative(this.context.root, path);
  }

  /**
   * Loads what is stored at the load path; in a run's catalog, what this run saved last (a pinned
   * version from `--load-versions` is loaded as pinned, whatever the run saved).
   */
  async load(): Promise<T> {
    const saved = this.context.loadVersion === undefined ? this.saved : undefined;
    const path = saved ?? (await this.loadPath());
    const shown = this.relative(saved === undefined ? path : this.savePath());
    let stored: { value: T } | undefined;
    try {
      stored = await this.readStored(path, () => this.read(path));
    } catch (error) {
      if (error instanceof CatalogError) throw error;
      throw new DatasetIOError("load", this.name, shown, error);
    }
    if (stored === undefined) throw new DatasetNotFoundError(this.name, shown);
    return stored.value;
  }

  /**
   * `read` of what is stored at `path`, undefined when nothing is. A file is replaced in one rename, but a folder
   * is read whole (readFolderWhole): another run may be replacing it meanwhile.
   */
  private async readStored<R>(path: string, read: () => Promise<R>): Promise<{ value: R } | undefined> {
    if (this.folder) return readFolderWhole(path, read);
    return (await present(path)) ? { value: await read() } : undefined;
  }

  async save(data: T): Promise<void> {
    const target = this.savePath();
    let snapshot: string | undefined;
    try {
      await writeAtomically(target, this.context.root, async (temporary) => {
        await this.write(temporary, data);
        if (this.context.readOwnSaves === true) snapshot = await snapshotSave(temporary);
      });
    } catch (error) {
      if (snapshot !== undefined) await dropSnapshot(snapshot);
      if (error instanceof CatalogError) throw error;
      throw new DatasetIOError("save", this.name, this.relative(target), error);
    }
    await this.release();
    this.saved = snapshot;
  }

  async release(): Promise<void> {
    if (this.saved === undefined) return;
    await dropSnapshot(this.saved);
    this.saved = undefined;
  }

  /** The load path; undefined for a versioned dataset with no saved version. */
  private async loadPathIfAny(): Promise<string | undefined> {
    try {
      return await this.loadPath();
    } catch (error) {
      if (error instanceof DatasetNotFoundError) return undefined;
      throw error;
    }
  }

  /** The load path and its files, resolved once (a versioned load path costs a readdir and a stat per version). */
  private async stored(): Promise<{ path: string; files: StoredFile[] } | undefined> {
    const path = await this.loadPathIfAny();
    return path === undefined ? undefined : this.storedAt(path);
  }

  /** The files stored at `path`, undefined when nothing is. */
  private async storedAt(path: string): Promise<{ path: string; files: StoredFile[] } | undefined> {
    const files = await this.readStored(path, async () =>
      this.folder ? await storedFilesUnder(path) : [await storedFile(path)],
    );
    return files === undefined ? undefined : { path, files: files.value };
  }

  async exists(): Promise<boolean> {
    const path = await this.loadPathIfAny();
    return path !== undefined && (await this.readStored(path, async () => true)) !== undefined;
  }

  async files(): Promise<StoredFile[]> {
    return (await this.stored())?.files ?? [];
  }

  /** In a run's catalog, the digest of what the run saved last, which its loads read (fingerprints must match what the nodes get), not of what another run saved since. */
  async digest(): Promise<string | undefined> {
    const saved = this.context.loadVersion === undefined ? this.saved : undefined;
    const stored = saved === undefined ? await this.stored() : await this.storedAt(saved);
    return stored === undefined ? undefined : combinedDigest(stored.files, this.folder ? stored.path : this.path);
  }

  describe(): DatasetDescription {
    const description: DatasetDescription = {
      name: this.name,
      type: this.type,
      path: this.relative(this.path),
      versioned: this.versioned,
    };
    if (this.versioned) {
      description.saveVersion = this.context.saveVersion;
      if (this.context.loadVersion !== undefined) description.loadVersion = this.context.loadVersion;
    }
    return description;
  }

  rows(_data: T): number | undefined {
    return undefined;
  }
}
