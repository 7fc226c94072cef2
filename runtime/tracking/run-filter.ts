/**
 * What a run filter means: `matchesRunFilter` walks the tree run-filter-parser.ts reads (MLflow's
 * search syntax: comparisons on metrics.NAME, params.NAME, tags.NAME and attributes such as status,
 * run_id, start_time; = != < <= > >= LIKE ILIKE IN NOT IN; AND, OR, parentheses).
 * Example: metrics.accuracy > 0.3 and (params.epochs = 50 or tags.team = 'dex')
 */
import { didYouMeanHint } from "@cellforge/contract";
import {
  filterComparisons,
  readRunFilter,
  type RunFilter,
  type RunFilterComparison,
  type RunFilterValue,
} from "./run-filter-parser.ts";
import type { RunInfo } from "./store.ts";

export {
  readRunFilter,
  filterComparisons,
  RunFilterError,
  RUN_ATTRIBUTES,
  type RunFilter,
  type RunFilterComparison,
  type RunFilterOperator,
  type RunFilterScope,
  type RunFilterValue,
} from "./run-filter-parser.ts";

/** Whether `run` meets `filter`: the meaning every store's search must give. */
export function matchesRunFilter(run: RunInfo, filter: RunFilter): boolean {
  switch (filter.kind) {
    case "and":
      return filter.items.every((item) => matchesRunFilter(run, item));
    case "or":
      return filter.items.some((item) => matchesRunFilter(run, item));
    case "comparison":
      return matches(run, filter);
  }
}

/** Parses `filter` into a predicate over runs. */
export function parseRunFilter(filter: string): (run: RunInfo) => boolean {
  const tree = readRunFilter(filter);
  return (run) => matchesRunFilter(run, tree);
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
  for (const clause of filterComparisons(readRunFilter(filter))) {
    if (clause.scope !== "metrics" && clause.scope !== "params") continue;
    const which = clause.scope;
    const name = clause.key;
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

function fieldValue(run: RunInfo, clause: RunFilterComparison): unknown {
  const name = clause.key;
  switch (clause.scope) {
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
    case "attributes":
      switch (name) {
        case "status":
          return run.status;
        case "run_id":
          return run.id;
        case "start_time":
          return run.startTime;
        case "end_time":
          return run.endTime;
        case "pipeline":
          return run.pipeline;
        case "experiment":
          return run.experiment;
        default:
          return undefined;
      }
  }
}

type Ordering = "=" | "!=" | "<" | "<=" | ">" | ">=";

function compare(actual: number | string, operator: Ordering, expected: number | string): boolean {
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

const isStatus = (clause: RunFilterComparison): boolean => clause.scope === "attributes" && clause.key === "status";

/** One value compared as `=`, `!=` or an ordering: numbers numerically, anything else as its text. */
function compareValue(
  actual: unknown,
  operator: Ordering,
  expected: RunFilterValue,
  clause: RunFilterComparison,
): boolean {
  if (actual === undefined || actual === null) return operator === "!=";
  if (typeof expected === "number") {
    const number =
      typeof actual === "number"
        ? actual
        : typeof actual === "string" && actual.trim() !== ""
          ? Number(actual)
          : Number.NaN;
    if (Number.isNaN(number)) return operator === "!=";
    return compare(number, operator, expected);
  }
  const text = typeof actual === "string" ? actual : JSON.stringify(actual);
  return compare(text, operator, isStatus(clause) ? expected.toUpperCase() : expected);
}

/** A SQL LIKE pattern (`%` any text, `_` one character) as a regular expression. */
export function likePattern(pattern: string, ignoreCase: boolean): RegExp {
  const source = [...pattern]
    .map((char) =>
      char === "%" ? "[\\s\\S]*" : char === "_" ? "[\\s\\S]" : char.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${source}$`, ignoreCase ? "iu" : "u");
}

function matches(run: RunInfo, clause: RunFilterComparison): boolean {
  const actual = fieldValue(run, clause);
  const { operator, value } = clause;
  if (Array.isArray(value)) {
    return operator === "IN"
      ? value.some((one: RunFilterValue) => compareValue(actual, "=", one, clause))
      : value.every((one: RunFilterValue) => compareValue(actual, "!=", one, clause));
  }
  const one = value as RunFilterValue;
  if (operator === "LIKE" || operator === "ILIKE") {
    if (actual === undefined || actual === null) return false;
    const text = typeof actual === "string" ? actual : JSON.stringify(actual);
    const pattern = isStatus(clause) ? String(one).toUpperCase() : String(one);
    return likePattern(pattern, operator === "ILIKE" || isStatus(clause)).test(text);
  }
  return compareValue(actual, operator as Ordering, one, clause);
}
