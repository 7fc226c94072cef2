/**
 * Run filters in MLflow's search syntax: clauses joined by `and`, each `FIELD OP VALUE` with
 * FIELD one of metrics.NAME, params.NAME, tags.NAME, status, pipeline, experiment,
 * OP one of = != < <= > >=, VALUE a number or a (quoted) string.
 * Example: metrics.accuracy > 0.3 and params.epochs = 50
 */
import { didYouMeanHint } from "@cellforge/contract";
import type { RunInfo } from "./store.ts";

/** A filter expression that does not parse. */
export class RunFilterError extends Error {
  readonly code = "RUN_FILTER";
  constructor(filter: string, reason: string) {
    super(
      `Cannot read the filter \`${filter}\`: ${reason}. Write clauses like \`metrics.accuracy > 0.3 and params.epochs = 50 and status = FINISHED\`.`,
    );
    this.name = "RunFilterError";
  }
}

/** A comparison of a run filter. */
export type RunFilterOperator = "=" | "!=" | "<" | "<=" | ">" | ">=";

/** One `FIELD OP VALUE` clause, as parsed: FIELD without `attributes.`, VALUE a number unless quoted or not numeric. */
export interface RunFilterClause {
  field: string;
  operator: RunFilterOperator;
  value: string | number;
}

/** A parsed filter: clauses that must all hold. A store searches with it (TrackingStore.searchRuns); `matchesRunFilter` is what it means. */
export type RunFilter = readonly RunFilterClause[];

type Operator = RunFilterOperator;
type Clause = RunFilterClause;

const CLAUSE =
  /^\s*((?:metrics|params|tags|attributes)\.[\w.:-]+|status|pipeline|experiment)\s*(==|=|!=|<>|<=|>=|<|>)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s]+)\s*$/i;

function parseClause(filter: string, text: string): Clause {
  const match = CLAUSE.exec(text);
  if (match === null) throw new RunFilterError(filter, `\`${text.trim()}\` is not FIELD OP VALUE`);
  const raw = match[3]!;
  const quoted = /^["']/.test(raw);
  const operator = (match[2] === "==" ? "=" : match[2] === "<>" ? "!=" : match[2]) as Operator;
  const number = Number(raw);
  const value = quoted
    ? raw.slice(1, -1).replace(/\\(.)/g, "$1")
    : raw !== "" && Number.isFinite(number)
      ? number
      : raw;
  return { field: match[1]!.replace(/^attributes\./i, ""), operator, value };
}

function parseClauses(filter: string): Clause[] {
  return filter
    .split(/\s+and\s+/i)
    .filter((part) => part.trim() !== "")
    .map((part) => {
      if (/\s+or\s+/i.test(part)) throw new RunFilterError(filter, "only `and` is supported between clauses");
      return parseClause(filter, part);
    });
}

/** Parses `filter` into its clauses; throws RunFilterError naming what it cannot read. */
export function readRunFilter(filter: string): RunFilter {
  return parseClauses(filter);
}

/** Whether `run` meets every clause of `filter`: the meaning every store's search must give. */
export function matchesRunFilter(run: RunInfo, filter: RunFilter): boolean {
  return filter.every((clause) => matches(run, clause));
}

/** Parses `filter` into a predicate over runs. */
export function parseRunFilter(filter: string): (run: RunInfo) => boolean {
  const clauses = parseClauses(filter);
  return (run) => matchesRunFilter(run, clauses);
}

/** The metric and parameter names some run has: `params` top-level, `paramPaths` every dotted path into them (nested objects and arrays too). */
export interface RunFieldNames {
  metrics: string[];
  params: string[];
  paramPaths: string[];
}

/** The metric and parameter names of `runs`, sorted (what TrackingStore.runFieldNames gives for the runs it holds). */
export function runFieldNamesOf(runs: readonly RunInfo[]): RunFieldNames {
  const paths = new Set<string>();
  const walk = (value: unknown, prefix: string): void => {
    if (typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      paths.add(`${prefix}${key}`);
      walk(inner, `${prefix}${key}.`);
    }
  };
  for (const run of runs) walk(run.params, "");
  const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();
  return {
    metrics: sorted(runs.flatMap((run) => Object.keys(run.metrics))),
    params: sorted(runs.flatMap((run) => Object.keys(run.params))),
    paramPaths: sorted(paths),
  };
}

/**
 * One warning per metric or parameter that `filter` names and none of the runs has (a typo matches
 * nothing, silently otherwise), with the closest existing name and the names there are; the runs
 * are given, or their names (from TrackingStore.runFieldNames).
 */
export function unknownFilterNames(filter: string, runs: readonly RunInfo[] | RunFieldNames): string[] {
  const names = Array.isArray(runs) ? runFieldNamesOf(runs as readonly RunInfo[]) : (runs as RunFieldNames);
  const warnings: string[] = [];
  for (const clause of parseClauses(filter)) {
    const [kind, ...rest] = clause.field.split(".");
    const which = kind!.toLowerCase();
    if (which !== "metrics" && which !== "params") continue;
    const name = rest.join(".");
    if ((which === "metrics" ? names.metrics : names.paramPaths).includes(name)) continue;
    const known = which === "metrics" ? names.metrics : names.params;
    const noun = which === "metrics" ? "metric" : "parameter";
    warnings.push(
      `No run has a ${noun} \`${name}\`${didYouMeanHint(name, known)}, so \`${clause.field}\` matches nothing. ` +
        (known.length === 0
          ? `The runs have no ${noun}s.`
          : `${noun === "metric" ? "Metrics" : "Parameters"}: ${known.join(", ")}.`),
    );
  }
  return warnings;
}

function fieldValue(run: RunInfo, field: string): unknown {
  const [kind, ...rest] = field.split(".");
  const name = rest.join(".");
  switch (kind!.toLowerCase()) {
    case "metrics":
      return run.metrics[name];
    case "params":
      return name
        .split(".")
        .reduce<unknown>(
          (value, key) =>
            typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined,
          run.params,
        );
    case "tags":
      return run.tags[name];
    case "status":
      return run.status;
    case "pipeline":
      return run.pipeline;
    case "experiment":
      return run.experiment;
    default:
      return undefined;
  }
}

function compare(actual: number | string, operator: Operator, expected: number | string): boolean {
  switch (operator) {
    case "=":
      return actual === expected;
    case "!=":
      return actual !== expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
  }
}

function matches(run: RunInfo, clause: Clause): boolean {
  const actual = fieldValue(run, clause.field);
  if (actual === undefined || actual === null) return clause.operator === "!=";
  if (typeof clause.value === "number") {
    const number =
      typeof actual === "number"
        ? actual
        : typeof actual === "string" && actual.trim() !== ""
          ? Number(actual)
          : Number.NaN;
    if (Number.isNaN(number)) return clause.operator === "!=";
    return compare(number, clause.operator, clause.value);
  }
  const text = typeof actual === "string" ? actual : JSON.stringify(actual);
  const expected = clause.field === "status" ? clause.value.toUpperCase() : clause.value;
  return compare(text, clause.operator, expected);
}
