/**
 * A parsed run filter (run-filter.ts) as a SQLite WHERE condition over `runs r JOIN experiments e`,
 * every value a bound parameter. The condition never drops a run the filter matches: where SQL
 * cannot tell exactly as matchesRunFilter does (a number compared with a parameter held as text,
 * string ordering, array indexes), it keeps the run, and the store checks the rows it reads with
 * matchesRunFilter. For numbers, equalities and missing fields it is exact, so the database returns
 * only the matching runs.
 */
import type { RunFilter, RunFilterClause } from "./run-filter.ts";

/** A WHERE condition and its bound values, in order. */
export interface SqlCondition {
  sql: string;
  args: unknown[];
}

const KEEP: SqlCondition = { sql: "1", args: [] };

/** What a missing field gives: only `!=` matches it. */
function missing(clause: RunFilterClause): string {
  return clause.operator === "!=" ? "1" : "0";
}

const isEquality = (clause: RunFilterClause): boolean => clause.operator === "=" || clause.operator === "!=";

/** A clause on a run column that is always text (status, pipeline, experiment). */
function onColumn(column: string, clause: RunFilterClause): SqlCondition {
  if (typeof clause.value === "number") return column === "r.status" ? { sql: missing(clause), args: [] } : KEEP; // a status is never numeric
  if (!isEquality(clause)) return KEEP;
  const expected = clause.field === "status" ? clause.value.toUpperCase() : clause.value;
  return { sql: `${column} ${clause.operator} ?`, args: [expected] };
}

/** A clause on the latest value of a metric (NULL in the table for NaN). */
function onMetric(name: string, clause: RunFilterClause): SqlCondition {
  const value = "(SELECT lm.value FROM latest_metrics lm WHERE lm.run_id = r.id AND lm.key = ?)";
  if (typeof clause.value === "number")
    return { sql: `coalesce(${value} ${clause.operator} ?, ${missing(clause)})`, args: [name, clause.value] };
  if (clause.operator === "!=") return KEEP;
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

function clauseCondition(clause: RunFilterClause): SqlCondition {
  const [kind, ...rest] = clause.field.split(".");
  const name = rest.join(".");
  switch (kind!.toLowerCase()) {
    case "status":
      return onColumn("r.status", clause);
    case "pipeline":
      return onColumn("r.pipeline", clause);
    case "experiment":
      return onColumn("e.name", clause);
    case "metrics":
      return onMetric(name, clause);
    case "tags":
      return onJson("r.tags", keyPath(name), clause);
    case "params":
      // A numeric segment may index an array or name an object key: kept for the check.
      if (rest.some((segment) => /^\d+$/.test(segment))) return KEEP;
      return onJson("r.params", `$${rest.map((segment) => `."${segment}"`).join("")}`, clause);
    default:
      return { sql: missing(clause), args: [] }; // an unknown field is missing from every run
  }
}

/** The condition of every clause of `filter`, joined with AND (`1` for none). */
export function sqliteRunFilter(filter: RunFilter): SqlCondition {
  const parts = filter.map(clauseCondition).filter((part) => part.sql !== "1");
  if (parts.length === 0) return KEEP;
  return { sql: parts.map((part) => `(${part.sql})`).join(" AND "), args: parts.flatMap((part) => part.args) };
}
