/**
 * A parsed run filter (run-filter-parser.ts) as a PostgreSQL WHERE condition over `runs r JOIN
 * experiments e`, walking its tree; every value is a bound parameter (`?` here, numbered by the
 * store). As sqlite-run-filter.ts: the condition never drops a run the filter matches; where SQL
 * cannot tell exactly (text ordering, numbers held as text, ILIKE with a non-ASCII pattern) it keeps
 * the run and the store checks the rows with matchesRunFilter.
 */
import type { RunFilter, RunFilterComparison, RunFilterValue } from "./run-filter-parser.ts";
import type { SqlCondition } from "./sqlite-run-filter.ts";

type Clause = Omit<RunFilterComparison, "value"> & { value: RunFilterValue };

const KEEP: SqlCondition = { sql: "TRUE", args: [] };

const missing = (clause: Clause): string => (clause.operator === "!=" ? "TRUE" : "FALSE");
const isEquality = (clause: Clause): boolean => clause.operator === "=" || clause.operator === "!=";
const isLike = (clause: Clause): boolean => clause.operator === "LIKE" || clause.operator === "ILIKE";
// eslint-disable-next-line no-control-regex
const isAscii = (text: string): boolean => /^[\x00-\x7f]*$/.test(text);

/** PostgreSQL's LIKE is case-sensitive as the filter's; its ILIKE folds as JavaScript does only for ASCII. `ESCAPE ''`: a backslash is a character. */
function like(expression: string, clause: Clause, pattern: string): SqlCondition | undefined {
  if (clause.operator === "ILIKE" && !isAscii(pattern)) return undefined;
  return { sql: `${expression} ${clause.operator} ? ESCAPE ''`, args: [pattern] };
}

function onTextColumn(column: string, clause: Clause): SqlCondition {
  const status = column === "r.status";
  if (isLike(clause)) {
    const pattern = String(clause.value);
    if (status) return isAscii(pattern) ? { sql: `${column} ILIKE ? ESCAPE ''`, args: [pattern] } : KEEP;
    return like(column, clause, pattern) ?? KEEP;
  }
  if (typeof clause.value === "number") return status ? { sql: missing(clause), args: [] } : KEEP;
  if (!isEquality(clause)) return KEEP;
  return { sql: `${column} ${clause.operator} ?`, args: [status ? clause.value.toUpperCase() : clause.value] };
}

function onNumberColumn(column: string, clause: Clause): SqlCondition {
  if (typeof clause.value !== "number" || isLike(clause)) return KEEP;
  return { sql: `coalesce(${column} ${clause.operator} ?, ${missing(clause)})`, args: [clause.value] };
}

function onMetric(name: string, clause: Clause): SqlCondition {
  const value = "(SELECT lm.value FROM latest_metrics lm WHERE lm.run_id = r.id AND lm.key = ?)";
  if (typeof clause.value === "number")
    return {
      sql: `coalesce(${value} ${clause.operator} ?::double precision, ${missing(clause)})`,
      args: [name, clause.value],
    };
  if (clause.operator === "!=" || isLike(clause)) return KEEP;
  return { sql: "EXISTS (SELECT 1 FROM latest_metrics lm WHERE lm.run_id = r.id AND lm.key = ?)", args: [name] };
}

/** A clause on the JSON value at `path` (an array of keys; a digit indexes an array as in JavaScript) of a JSON column. */
function onJson(column: string, path: readonly string[], clause: Clause): SqlCondition {
  const value = `(${column} #> ?::text[])`;
  const type = `json_typeof(${value})`;
  const text = `(${column} #>> ?::text[])`;
  const absent = `${value} IS NULL OR ${type} = 'null'`;
  const cases = (whenText: SqlCondition | undefined, whenNumber: SqlCondition | undefined, other: string) => {
    const sql = [
      `CASE WHEN ${absent} THEN ${isLike(clause) ? "FALSE" : missing(clause)}`,
      whenText === undefined ? "" : ` WHEN ${type} = 'string' THEN ${whenText.sql}`,
      whenNumber === undefined ? "" : ` WHEN ${type} = 'number' THEN ${whenNumber.sql}`,
      ` ELSE ${other} END`,
    ].join("");
    return {
      sql,
      args: [
        path,
        path,
        ...(whenText === undefined ? [] : [path, ...whenText.args]),
        ...(whenNumber === undefined ? [] : [path, ...whenNumber.args]),
      ],
    };
  };
  if (typeof clause.value === "number") {
    // A boolean, object or array is no number (missing); text may hold one: kept for the check.
    const number = {
      sql: `${text}::double precision ${clause.operator} ?::double precision`,
      args: [path, clause.value],
    };
    const condition = cases({ sql: "TRUE", args: [] }, number, missing(clause));
    return condition;
  }
  if (isLike(clause)) {
    const pattern = like(text, clause, clause.value);
    if (pattern === undefined) return cases(undefined, undefined, "TRUE");
    return cases({ sql: pattern.sql, args: [path, ...pattern.args] }, undefined, "TRUE");
  }
  if (!isEquality(clause)) return cases(undefined, undefined, "TRUE");
  // A boolean's text is its JSON (`true`); a number's JSON text is kept for the check (json keeps it as written).
  const equal = { sql: `${text} ${clause.operator} ?`, args: [path, clause.value] };
  const sql = `CASE WHEN ${absent} THEN ${missing(clause)} WHEN ${type} IN ('string', 'boolean') THEN ${equal.sql} ELSE TRUE END`;
  return { sql, args: [path, path, path, ...equal.args] };
}

function clauseCondition(clause: Clause): SqlCondition {
  switch (clause.scope) {
    case "attributes":
      switch (clause.key) {
        case "status":
          return onTextColumn("r.status", clause);
        case "pipeline":
          return onTextColumn("r.pipeline", clause);
        case "experiment":
          return onTextColumn("e.name", clause);
        case "run_id":
          return onTextColumn("r.id", clause);
        case "start_time":
          return onNumberColumn("r.start_time", clause);
        case "end_time":
          return onNumberColumn("r.end_time", clause);
        default:
          return KEEP;
      }
    case "metrics":
      return onMetric(clause.key, clause);
    case "tags":
      return onJson("r.tags", [clause.key], clause);
    case "params":
      return onJson("r.params", clause.key.split("."), clause);
  }
}

function all(parts: SqlCondition[]): SqlCondition {
  const kept = parts.filter((part) => part.sql !== "TRUE");
  if (kept.length === 0) return KEEP;
  return { sql: kept.map((part) => `(${part.sql})`).join(" AND "), args: kept.flatMap((part) => part.args) };
}

function any(parts: SqlCondition[]): SqlCondition {
  if (parts.length === 0 || parts.some((part) => part.sql === "TRUE")) return KEEP;
  return { sql: parts.map((part) => `(${part.sql})`).join(" OR "), args: parts.flatMap((part) => part.args) };
}

/** The condition of `filter` (`TRUE` when SQL cannot narrow it): every run it matches meets the condition. */
export function postgresRunFilter(filter: RunFilter): SqlCondition {
  switch (filter.kind) {
    case "and":
      return all(filter.items.map(postgresRunFilter));
    case "or":
      return any(filter.items.map(postgresRunFilter));
    case "comparison": {
      const { value } = filter;
      if (Array.isArray(value)) {
        const operator = filter.operator === "IN" ? "=" : "!=";
        const parts = value.map((one: RunFilterValue) => clauseCondition({ ...filter, operator, value: one }));
        return filter.operator === "IN" ? any(parts) : all(parts);
      }
      return clauseCondition({ ...filter, value: value as RunFilterValue });
    }
  }
}

/** `sql` with each `?` numbered `$from`, `$from+1`… (the filter's SQL holds no other question mark). */
export function numberPlaceholders(sql: string, from = 1): string {
  let next = from;
  return sql.replace(/\?/g, () => `$${next++}`);
}
