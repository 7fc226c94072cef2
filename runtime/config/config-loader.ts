/**
 * Loads the project's YAML configuration: conf/base/<file>, overridden by conf/<env>/<file>
 * (env "local" by default, git-ignored), top-level key by top-level key, as Kedro merges.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, YAMLParseError } from "yaml";
import { ConfigError } from "./errors.ts";

/** The environment used when none is given: conf/local, for a developer's own overrides. */
export const DEFAULT_ENV = "local";

/** A YAML mapping read from one file (empty when the file does not exist). */
export type ConfigMapping = Record<string, unknown>;

/** The merged configuration of one run. */
export interface ProjectConfig {
  env: string;
  catalog: ConfigMapping;
  /** parameters.yml of conf/base and of conf/<env>, kept apart: they are two layers of parameter precedence. */
  parameters: { base: ConfigMapping; env: ConfigMapping };
  tracking: ConfigMapping;
}

/** Reads one YAML file as a mapping; a missing or empty file is an empty mapping. */
export function readYamlMapping(path: string, shownAs: string): ConfigMapping {
  if (!existsSync(path)) return {};
  let value: unknown;
  try {
    value = parse(readFileSync(path, "utf8"));
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0].line;
      throw new ConfigError(
        `${shownAs}${line === undefined ? "" : `:${line}`} is not valid YAML: ${error.message.split("\n")[0]}`,
      );
    }
    throw error;
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ConfigError(`${shownAs} must be a mapping of names to values (key: value lines).`);
  }
  return value as ConfigMapping;
}

function environments(root: string): string[] {
  try {
    return readdirSync(join(root, "conf"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** conf/base/<file> merged with conf/<env>/<file>: the environment's top-level keys win. */
export function loadConfigFile(root: string, env: string, file: string): ConfigMapping {
  const base = readYamlMapping(join(root, "conf", "base", file), `conf/base/${file}`);
  if (env === "base") return base;
  const override = readYamlMapping(join(root, "conf", env, file), `conf/${env}/${file}`);
  return { ...base, ...override };
}

/** The catalog, parameters and tracking settings of the project at `root` for environment `env`. */
export function loadProjectConfig(root: string, env: string = DEFAULT_ENV): ProjectConfig {
  if (env !== DEFAULT_ENV && env !== "base" && !existsSync(join(root, "conf", env))) {
    const known = environments(root).filter((e) => e !== "base");
    throw new ConfigError(
      `No configuration environment \`${env}\`: conf/${env}/ does not exist. ` +
        (known.length > 0 ? `Known environments: ${known.join(", ")}.` : "Create the folder, or leave out --env."),
    );
  }
  return {
    env,
    catalog: loadConfigFile(root, env, "catalog.yml"),
    parameters: {
      base: readYamlMapping(join(root, "conf", "base", "parameters.yml"), "conf/base/parameters.yml"),
      env:
        env === "base" ? {} : readYamlMapping(join(root, "conf", env, "parameters.yml"), `conf/${env}/parameters.yml`),
    },
    tracking: loadConfigFile(root, env, "tracking.yml"),
  };
}
