/**
 * Pipeline parameters: the notebook's defaults ← conf/base/parameters.yml ← conf/base/parameters/<pipeline>.yml
 * ← conf/<env>/parameters.yml ← conf/<env>/parameters/<pipeline>.yml ← `--params k=v,…`, validated against
 * the pipeline's parameter schema.
 */
import type { PipelineParameters } from "../pipeline/definition.ts";
import { didYouMeanHint } from "@cellforge/contract";
import { ParameterError } from "./errors.ts";
import { describeSchemaType } from "./json-schema.ts";
import { validateSchema } from "./schema-validator.ts";

/** Where a parameter's value came from. */
export type ParameterSource =
  "default" | `conf/${string}/parameters.yml` | `conf/${string}/parameters/${string}.yml` | "--params";

/** Resolved parameter values, with where each came from. */
export interface ResolvedParameters {
  values: Record<string, unknown>;
  sources: Record<string, ParameterSource>;
}

/** The layers that override the pipeline's defaults, lowest first. */
export interface ParameterOverrides {
  base?: Record<string, unknown>;
  env?: Record<string, unknown>;
  /** The environment's name, for messages (conf/<envName>/parameters.yml). */
  envName?: string;
  /** The pipeline's name, for messages (conf/<env>/parameters/<pipeline>.yml). */
  pipeline?: string;
  /** conf/base/parameters/<pipeline>.yml: this pipeline's own values. */
  pipelineBase?: Record<string, unknown>;
  /** conf/<env>/parameters/<pipeline>.yml. */
  pipelineEnv?: Record<string, unknown>;
  /** Names other pipelines declare: the shared files' values for them are theirs, not unknown names of this pipeline. */
  declaredElsewhere?: ReadonlySet<string>;
  /** From `--params`, already parsed by `parseParamsOption`. */
  cli?: readonly ParameterAssignment[];
}

/** One `--params` assignment: a dotted path (`model.units`) and its value. */
export interface ParameterAssignment {
  path: string[];
  value: unknown;
}

/** A `--params` value: JSON when it parses (numbers, booleans, null, arrays, objects, "quoted"), else the raw string. */
export function parseParamValue(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return trimmed;
  }
}

/** Splits on commas outside brackets, braces and quotes, so `layers=[64,32],epochs=5` is two assignments. */
function splitAssignments(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote !== undefined) {
      if (c === "\\") i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

/** Parses `--params "epochs=50,learning_rate=0.01,model.units=32"`. */
export function parseParamsOption(text: string): ParameterAssignment[] {
  return splitAssignments(text).map((part) => {
    const equals = part.indexOf("=");
    if (equals <= 0) {
      throw new ParameterError(
        `--params expects name=value pairs separated by commas, e.g. --params epochs=50,learning_rate=0.01; got \`${part}\`.`,
      );
    }
    return { path: part.slice(0, equals).trim().split("."), value: parseParamValue(part.slice(equals + 1)) };
  });
}

function withAssignment(current: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const record =
    typeof current === "object" && current !== null && !Array.isArray(current)
      ? (current as Record<string, unknown>)
      : {};
  const [head, ...rest] = path as [string, ...string[]];
  return { ...record, [head]: withAssignment(record[head], rest, value) };
}

function formatDefault(value: unknown): string {
  return value === undefined ? "(required)" : JSON.stringify(value);
}

/** A table of the valid parameters: name, type, default. */
export function describeParameters(parameters: PipelineParameters): string {
  const properties = (parameters.schema["properties"] ?? {}) as Record<string, Record<string, unknown>>;
  const names = [...new Set([...Object.keys(properties), ...Object.keys(parameters.defaults)])];
  if (names.length === 0) return "This pipeline has no parameters.";
  const rows = names.map((name) => [
    name,
    describeSchemaType(properties[name] ?? {}, parameters.schema),
    formatDefault(parameters.defaults[name]),
  ]);
  const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length), i === 0 ? 4 : 4));
  return [
    "Valid parameters:",
    ...rows.map((r) => `  ${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  default ${r[2]}`),
  ].join("\n");
}

/** Merges the layers over the defaults and validates the result; throws a ParameterError listing the valid parameters. */
export function resolveParameters(
  parameters: PipelineParameters,
  overrides: ParameterOverrides = {},
): ResolvedParameters {
  const values: Record<string, unknown> = { ...parameters.defaults };
  const sources: Record<string, ParameterSource> = Object.fromEntries(
    Object.keys(values).map((k) => [k, "default" as const]),
  );
  const properties = (parameters.schema["properties"] ?? {}) as Record<string, unknown>;
  const known = new Set([...Object.keys(properties), ...Object.keys(parameters.defaults)]);
  const envName = overrides.envName ?? "local";
  const own = overrides.pipeline ?? "pipeline";
  const layers: [ParameterSource, Record<string, unknown> | undefined, boolean][] = [
    ["conf/base/parameters.yml", overrides.base, true],
    [`conf/base/parameters/${own}.yml`, overrides.pipelineBase, false],
    [`conf/${envName}/parameters.yml`, overrides.env, true],
    [`conf/${envName}/parameters/${own}.yml`, overrides.pipelineEnv, false],
  ];
  for (const [source, layer, shared] of layers) {
    for (const [name, value] of Object.entries(layer ?? {})) {
      if (shared && !known.has(name) && overrides.declaredElsewhere?.has(name) === true) continue;
      values[name] = value;
      sources[name] = source;
    }
  }
  for (const { path, value } of overrides.cli ?? []) {
    const name = path[0]!;
    values[name] = withAssignment(values[name], path.slice(1), value);
    sources[name] = "--params";
  }

  const closed = parameters.schema["additionalProperties"] === false || Object.keys(properties).length > 0;
  const problems: string[] = [];
  for (const name of Object.keys(values)) {
    if (closed && !known.has(name))
      problems.push(`Unknown parameter \`${name}\` in ${sources[name]}${didYouMeanHint(name, known)}.`);
  }
  for (const problem of validateSchema(values, parameters.schema)) {
    const name = problem.path.split("/")[1] ?? "";
    if (problem.message === "is not allowed" && problem.path === `/${name}`) continue; // reported above
    const where = sources[name] === undefined ? "" : ` (from ${sources[name]})`;
    problems.push(`Parameter \`${problem.path.slice(1).split("/").join(".")}\`${where} ${problem.message}.`);
  }
  if (problems.length > 0) throw new ParameterError(`${problems.join("\n")}\n\n${describeParameters(parameters)}`);
  return { values, sources };
}
