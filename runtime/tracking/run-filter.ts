/**
 * Run filters in MLflow's search syntax: clauses joined by `and`, each `FIELD OP VALUE` with
 * FIELD one of metrics.NAME, params.NAME, tags.NAME, status, pipeline, experiment,
 * OP one of = != < <= > >=, VALUE a number or a (quoted) string.
 * Example: metrics.accuracy > 0.3 and params.epochs = 50
 */
import { didYouMean } from "../names/closest-name.ts";
import type { RunInfo } from "./store.ts";

/** A filter expression that does not parse. */
export class RunFilterError extends Error {
  readonly code = "RUN_FILTER";
  constructor(filter: string, reason: string) {
    super(`Cannot read the filter \`${filter}\`: ${reason}. Write clauses like \`metrics.accuracy > 0.3 and params.epochs = 50 and status = FINISHED\`.`);
    this.name = "RunFilterError";
  }
}

type Operator = "=" | "!=" | "<" | "<=" | ">" | ">=";

interface Clause {
  field: string;
  operator: Operator;
  value: string | number;
}

const CLAUSE = /^\s*((?:metrics|params|tags|attributes)\.[\w.:-]+|status|pipeline|experiment)\s*(==|=|!=|<>|<=|>=|<|>)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s]+)\s*$/i;

function parseClause(filter: string, text: string): Clause {
  const match = CLAUSE.exec(text);
  if (match === null) throw new RunFilterError(filter, `\`${text.trim()}\` is not FIELD OP VALUE`);
  const raw = match[3]!;
  const quoted = /^["']/.test(raw);
  const operator = (match[2] === "==" ? "=" : match[2] === "<>" ? "!=" : match[2]) as Operator;
  const number = Number(raw);
  const value = quoted ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw !== "" && Number.isFinite(number) ? number : raw;
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

/** Parses `filter` into a predicate over runs. */
export function parseRunFilter(filter: string): (run: RunInfo) => boolean {
  const clauses = parseClauses(filter);
  return (run) => clauses.every((clause) => matches(run, clause));
}

/**
 * One warning per metric or parameter that `filter` names and none of `runs` has (a typo matches
 * nothing, silently otherwise), with the closest existing name and the names there are.
 */
export function unknownFilterNames(filter: string, runs: readonly RunInfo[]): string[] {
  const warnings: string[] = [];
  for (const clause of parseClauses(filter)) {
    const [kind, ...rest] = clause.field.split(".");
    const which = kind!.toLowerCase();
    if (which !== "metrics" && which !== "params") continue;
    const name = rest.join(".");
    if (runs.some((run) => fieldValue(run, clause.field) !== undefined)) continue;
    const known = [...new Set(runs.flatMap((run) => Object.keys(which === "metrics" ? run.metrics : run.params)))].sort();
    const noun = which === "metrics" ? "metric" : "parameter";
    warnings.push(
      `No run has a ${noun} \`${name}\`${didYouMean(name, known)}, so \`${clause.field}\` matches nothing. ` +
        (known.length === 0 ? `The runs have no ${noun}s.` : `${noun === "metric" ? "Metrics" : "Parameters"}: ${known.join(", ")}.`),
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
      return name.split(".").reduce<unknown>((value, key) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined), run.params);
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
    const number = typeof actual === "number" ? actual : typeof actual === "string" && actual.trim() !== "" ? Number(actual) : Number.NaN;
    if (Number.isNaN(number)) return clause.operator === "!=";
    return compare(number, clause.operator, clause.value);
  }
  const text = typeof actual === "string" ? actual : JSON.stringify(actual);
  const expected = clause.field === "status" ? clause.value.toUpperCase() : clause.value;
  return compare(text, clause.operator, expected);
}
