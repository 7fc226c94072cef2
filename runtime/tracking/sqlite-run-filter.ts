/**
 * How SQLite writes one run-filter comparison (sql-run-filter.ts walks the tree): every value a
 * bound parameter. Where SQL cannot tell exactly as matchesRunFilter does (a number compared with a
 * parameter held as text, string ordering, array indexes), it keeps the run, and the store checks
 * the rows it reads with matchesRunFilter. For numbers, equalities and missing fields it is exact,
 * so the database returns only the matching runs.
 */
import type { RunFilter } from "./run-filter-parser.ts";
import {
  compileRunFilter,
  isEquality,
  isLike,
  missingValue,
  type RunFilterClause,
  type RunFilterDialect,
  type SqlCondition,
} from "./sql-run-filter.ts";

export type { SqlCondition } from "./sql-run-filter.ts";

const KEEP: SqlCondition = { sql: "1", args: [] };

/** What a missing field gives: only `!=` matches it. */
const missing = (clause: RunFilterClause): string => missingValue(clause, sqliteDialect);

/** Whether SQLite's LIKE (ASCII letters in any case, other characters exactly) keeps every match of the clause's LIKE or ILIKE. */
function likeFits(clause: RunFilterClause): boolean {
  // eslint-disable-next-line no-control-regex
  return clause.operator === "LIKE" || /^[\x00-\x7f]*$/.test(String(clause.value));
}

/** A clause on a run column that is always text (status, pipeline, experiment, id). */
function onColumn(column: string, clause: RunFilterClause): SqlCondition {
  const status = column === "r.status";
  if (isLike(clause)) {
    if (!likeFits(clause) && !status) return KEEP;
    return { sql: `${column} LIKE ?`, args: [status ? String(clause.value).toUpperCase() : clause.value] };
  }
  if (typeof clause.value === "number") return status ? { sql: missing(clause), args: [] } : KEEP; // a status is never numeric
  if (!isEquality(clause)) return KEEP;
  const expected = status ? clause.value.toUpperCase() : clause.value;
  return { sql: `${column} ${clause.operator} ?`, args: [expected] };
}

/** A clause on a run column that holds a number or NULL (start_time, end_time). */
function onNumberColumn(column: string, clause: RunFilterClause): SqlCondition {
  if (typeof clause.value !== "number" || isLike(clause)) return KEEP;
  return { sql: `coalesce(${column} ${clause.operator} ?, ${missing(clause)})`, args: [clause.value] };
}

/** A clause on the latest value of a metric (NULL in the table for NaN). */
function onMetric(name: string, clause: RunFilterClause): SqlCondition {
  const value = "(SELECT lm.value FROM latest_metrics lm WHERE lm.run_id = r.id AND lm.key = ?)";
  if (typeof clause.value === "number")
    return { sql: `coalesce(${value} ${clause.operator} ?, ${missing(clause)})`, args: [name, clause.value] };
  if (clause.operator === "!=" || isLike(clause)) return KEEP;
  return { sql: "EXISTS (SELECT 1 FROM latest_metrics lm WHERE lm.run_id = r.id AND lm.key = ?)", args: [name] };
}

/** A clause on the JSON value at `path` of a JSON text column (params, tags). */
function onJson(column: string, path: string, clause: RunFilterClause): SqlCondition {
  const type = `json_type(${column}, ?)`;
  const value = `json_extract(${column}, ?)`;
  const absent = `${type} IS NULL OR ${type} = 'null'`;
  if (typeof clause.value === "number") {
    return {
      sql: `CASE WHEN ${absent} OR ${type} IN ('true', 'false', 'object', 'array') THEN ${missing(clause)} WHEN ${type} IN ('integer', 'real') THEN ${value} ${clause.operator} ? ELSE 1 END`,
      args: [path, path, path, path, path, clause.value],
    };
  }
  if (isLike(clause)) {
    if (!likeFits(clause)) return { sql: `CASE WHEN ${absent} THEN 0 ELSE 1 END`, args: [path, path] };
    return {
      sql: `CASE WHEN ${absent} THEN 0 WHEN ${type} = 'text' THEN ${value} LIKE ? ELSE 1 END`,
      args: [path, path, path, path, clause.value],
    };
  }
  if (!isEquality(clause)) return { sql: `CASE WHEN ${absent} THEN ${missing(clause)} ELSE 1 END`, args: [path, path] };
  // A value that is not text compares as its JSON text: exact for integers and booleans; reals, objects and arrays are kept for the check.
  return {
    sql:
      `CASE WHEN ${absent} THEN ${missing(clause)} WHEN ${type} = 'text' THEN ${value} ${clause.operator} ? ` +
      `WHEN ${type} = 'integer' THEN CAST(${value} AS TEXT) ${clause.operator} ? WHEN ${type} IN ('true', 'false') THEN ${type} ${clause.operator} ? ELSE 1 END`,
    args: [path, path, path, path, clause.value, path, path, clause.value, path, path, clause.value],
  };
}

/** A JSON path naming one key (any characters the filter syntax allows: letters, digits, `_ . : -`). */
const keyPath = (key: string): string => `$."${key}"`;

const sqliteDialect: RunFilterDialect = {
  yes: "1",
  no: "0",
  textColumn: onColumn,
  numberColumn: onNumberColumn,
  metric: onMetric,
  tag: (key, clause) => onJson("r.tags", keyPath(key), clause),
  param(segments, clause) {
    // A numeric segment may index an array or name an object key; a quote cannot be written in a path: kept for the check.
    if (segments.some((segment) => /^\d+$/.test(segment) || segment.includes('"'))) return KEEP;
    return onJson("r.params", `$${segments.map((segment) => `."${segment}"`).join("")}`, clause);
  },
};

/** The condition of `filter` (`1` when SQL cannot narrow it): every run it matches meets the condition. */
export function sqliteRunFilter(filter: RunFilter): SqlCondition {
  return compileRunFilter(filter, sqliteDialect);
}
