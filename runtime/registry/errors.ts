/** Errors of the model registry. */

/** Base class: a stable `code` and a message that says what to do. */
export class RegistryError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A model name, version or alias that the registry does not have. */
export class ModelNotFoundError extends RegistryError {
  constructor(message: string) {
    super("MODEL_NOT_FOUND", message);
  }
}

/** No model was named and the project has several: which one to serve is the user's choice. */
export class SeveralModelsError extends ModelNotFoundError {
  constructor(
    readonly names: readonly string[],
    example: string,
  ) {
    super(`Several models are registered (${names.join(", ")}): name the one to serve, e.g. ${example}.`);
  }
}

/** A promotion whose input schema would break the alias's current clients. */
export class BreakingSchemaError extends RegistryError {
  readonly changes: readonly string[];
  constructor(name: string, version: number, alias: string, current: number, changes: readonly string[]) {
    super(
      "MODEL_SCHEMA_BREAKING",
      `Promoting ${name} version ${version} to @${alias} would break clients of version ${current}: its input schema\n` +
        changes.map((c) => `  - ${c}`).join("\n") +
        `\nUpdate the clients first, or promote anyway with --force.`,
    );
    this.changes = changes;
  }
}

/** A run's model cannot be registered (e.g. a predict artifact only lives in memory). */
export class RegistrationError extends RegistryError {
  constructor(message: string) {
    super("MODEL_REGISTRATION", message);
  }
}

/** A registered version's file that no longer has the sha256 recorded at registration: refused rather than served. */
export class ModelIntegrityError extends RegistryError {
  constructor(message: string) {
    super("MODEL_INTEGRITY", message);
  }
}

/** A version number another registration recorded first (registrations of a name are meant to hold its lock). */
export class ModelVersionTakenError extends RegistryError {
  constructor(name: string, version: number) {
    super(
      "MODEL_VERSION_TAKEN",
      `Version ${version} of \`${name}\` was recorded by another registration meanwhile; run again to register the next version.`,
    );
  }
}

/** A version folder the registry would write already holds files the tracking database does not know. */
export class VersionFolderConflictError extends RegistryError {
  constructor(message: string) {
    super("MODEL_FOLDER_CONFLICT", message);
  }
}
