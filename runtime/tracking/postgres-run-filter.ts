/**
 * How PostgreSQL writes one run-filter comparison (sql-run-filter.ts walks the tree); every value is
 * a bound parameter (`?` here, numbered by the store). As sqlite-run-filter.ts: the condition never
 * drops a run the filter matches; where SQL
 * cannot tell exactly (text ordering, numbers held as text, ILIKE with a non-ASCII pattern) it keeps
 * the run and the store checks the rows with matchesRunFilter.
 */
import type { RunFilter } from "./run-filter-parser.ts";
import {
  compileRunFilter,
  isEquality,
  isLike,
  missingValue,
  type RunFilterClause as Clause,
  type RunFilterDialect,
  type SqlCondition,
} from "./sql-run-filter.ts";

const KEEP: SqlCondition = { sql: "TRUE", args: [] };

const missing = (clause: Clause): string => missingValue(clause, postgresDialect);

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

const postgresDialect: RunFilterDialect = {
  yes: "TRUE",
  no: "FALSE",
  textColumn: onTextColumn,
  numberColumn: onNumberColumn,
  metric: onMetric,
  tag: (key, clause) => onJson("r.tags", [key], clause),
  param: (path, clause) => onJson("r.params", path, clause),
};

/** The condition of `filter` (`TRUE` when SQL cannot narrow it): every run it matches meets the condition. */
export function postgresRunFilter(filter: RunFilter): SqlCondition {
  return compileRunFilter(filter, postgresDialect);
}

/** `sql` with each `?` numbered `$from`, `$from+1`… (the filter's SQL holds no other question mark). */
export function numberPlaceholders(sql: string, from = 1): string {
  let next = from;
  return sql.replace(/\?/g, () => `$${next++}`);
}
