/** Errors the data catalog raises; each message says what to do about it. */

/** Base class of catalog errors: a stable `code` for programs, a helpful message for people. */
export class CatalogError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A dataset's file (or an in-memory dataset's value) is not there yet. */
export class DatasetNotFoundError extends CatalogError {
  readonly dataset: string;
  readonly path: string | undefined;
  constructor(dataset: string, path: string | undefined, hint?: string) {
    const where = path === undefined ? "has no value in memory yet" : `has no file at ${path}`;
    super("DATASET_NOT_FOUND", `Dataset \`${dataset}\` ${where}.${hint === undefined ? "" : ` ${hint}`}`);
    this.dataset = dataset;
    this.path = path;
  }
}

/** A catalog entry names a dataset type nobody registered. */
export class UnknownDatasetTypeError extends CatalogError {
  constructor(dataset: string, type: string, known: readonly string[], closest?: string) {
    super(
      "DATASET_TYPE",
      `Dataset \`${dataset}\` has type \`${type}\`, which cellforge does not know. ` +
        `Use one of: ${known.join(", ")} (in conf/base/catalog.yml).` +
        (closest === undefined ? "" : ` Did you mean \`${closest}\`?`) +
        ` A type of the project's own is registered in cellforge.hooks.ts at the project root: ` +
        `\`export const datasetTypes = { "${type}": defineDatasetType({ doc, options, create }) }\` (defineDatasetType from @cellforge/runtime).`,
    );
  }
}

/** Two registrations of one dataset type name. */
export class DatasetTypeConflictError extends CatalogError {
  constructor(type: string, registeredIn: string) {
    super(
      "DATASET_TYPE_CONFLICT",
      `${registeredIn} registers dataset type \`${type}\`, which is already registered (a built-in, or twice); give it another name.`,
    );
  }
}

/** An entry names credentials that neither conf/<env>/credentials.yml nor the environment provides. */
export class CredentialsNotFoundError extends CatalogError {
  constructor(dataset: string, credentials: string, variablePrefix: string, known: readonly string[]) {
    super(
      "CREDENTIALS_NOT_FOUND",
      `Dataset \`${dataset}\` uses credentials \`${credentials}\`, which are not set. ` +
        `Add \`${credentials}:\` with its keys to conf/local/credentials.yml (git-ignored), or set environment variables ${variablePrefix}<KEY>` +
        (known.length > 0 ? ` (credentials set: ${known.join(", ")}).` : "."),
    );
  }
}

/** A dataset path points outside the project folder. */
export class PathOutsideProjectError extends CatalogError {
  constructor(dataset: string, path: string, root: string) {
    super(
      "DATASET_PATH",
      `Dataset \`${dataset}\` has path \`${path}\`, which is outside the project (${root}). ` +
        `Use a path inside the project, relative to its root, e.g. data/01_raw/file.csv.`,
    );
  }
}

/** A catalog entry is malformed (missing path, wrong field types, unknown fields). */
export class CatalogConfigError extends CatalogError {
  constructor(message: string) {
    super("CATALOG_CONFIG", message);
  }
}

/** A pinned version (`--load-versions name:VERSION`) does not exist. */
export class VersionNotFoundError extends CatalogError {
  constructor(dataset: string, version: string, available: readonly string[]) {
    const list = available.length === 0 ? "it has no saved versions yet" : `available: ${available.join(", ")}`;
    super("DATASET_VERSION", `Dataset \`${dataset}\` has no version \`${version}\` (${list}).`);
  }
}

/** Loading or saving a dataset failed for a reason other than a missing file. */
export class DatasetIOError extends CatalogError {
  constructor(operation: "load" | "save", dataset: string, path: string | undefined, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const where = path === undefined ? "" : ` (${path})`;
    super("DATASET_IO", `Could not ${operation} dataset \`${dataset}\`${where}: ${reason}`, { cause });
  }
}
