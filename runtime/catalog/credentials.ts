/**
 * Credentials a catalog entry names (`credentials: warehouse`), as Kedro resolves them: a mapping under that
 * name in conf/<env>/credentials.yml (over conf/base; keep it in git-ignored conf/local), each key overridden
 * by an environment variable CELLFORGE_CREDENTIALS_<NAME>_<KEY>. Values are handed to the dataset only: never
 * put in messages, logs or the tracking store.
 */
import { CatalogConfigError, CredentialsNotFoundError } from "./errors.ts";

/** The environment variable prefix of credentials `name`: CELLFORGE_CREDENTIALS_WAREHOUSE_ for `warehouse`. */
export function credentialsVariablePrefix(name: string): string {
  return `CELLFORGE_CREDENTIALS_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_`;
}

/** The credentials of one project and environment (config/project-credentials.ts reads them from conf/). */
export class Credentials {
  constructor(
    private readonly files: Readonly<Record<string, unknown>>,
    private readonly environment: Readonly<Record<string, string | undefined>>,
  ) {}

  /** No credentials files; the environment only. */
  static fromEnvironment(environment: Readonly<Record<string, string | undefined>> = process.env): Credentials {
    return new Credentials({}, environment);
  }

  /** The keys of credentials `name` for dataset `dataset`; throws CredentialsNotFoundError when none are set. */
  resolve(dataset: string, name: string): Record<string, unknown> {
    const fromFile = this.files[name];
    if (fromFile !== undefined && (typeof fromFile !== "object" || fromFile === null || Array.isArray(fromFile))) {
      throw new CatalogConfigError(
        `credentials.yml: \`${name}\` must be a mapping of keys (e.g. user: …, password: …).`,
      );
    }
    const resolved: Record<string, unknown> = { ...(fromFile as Record<string, unknown> | undefined) };
    const prefix = credentialsVariablePrefix(name);
    for (const [variable, value] of Object.entries(this.environment)) {
      if (value !== undefined && variable.startsWith(prefix) && variable.length > prefix.length)
        resolved[variable.slice(prefix.length).toLowerCase()] = value;
    }
    if (fromFile === undefined && Object.keys(resolved).length === 0)
      throw new CredentialsNotFoundError(dataset, name, prefix, Object.keys(this.files).sort());
    return resolved;
  }
}
