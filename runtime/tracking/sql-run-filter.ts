/**
 * A parsed run filter (run-filter-parser.ts) as a WHERE condition over `runs r JOIN experiments e`,
 * for both SQL stores: the walk of the tree (AND, OR, IN split into equalities) and which field is
 * read where are written here once; a dialect (sqlite-run-filter.ts, postgres-run-filter.ts) writes
 * each single comparison in its SQL. A condition never drops a run the filter matches: what SQL cannot
 * tell exactly it keeps, and the store checks the rows it reads with matchesRunFilter.
 */
import type { RunFilter, RunFilterComparison, RunFilterValue } from "./run-filter-parser.ts";
import type { RunQuery } from "./store.ts";

/** A WHERE condition and its bound values, in order (`?` placeholders). */
export interface SqlCondition {
  sql: string;
  args: unknown[];
}

/** One comparison with a single value and one of = != < <= > >= LIKE ILIKE (IN lists are split into these). */
export type RunFilterClause = Omit<RunFilterComparison, "value"> & { value: RunFilterValue };

/** How one SQL dialect writes a comparison on each kind of field. */
export interface RunFilterDialect {
  /** The true and false literals (`TRUE`/`FALSE`, `1`/`0`); true is also the condition that keeps every row. */
  readonly yes: string;
  readonly no: string;
  /** A run column that is always text (status, pipeline, experiment, id). */
  textColumn(column: string, clause: RunFilterClause): SqlCondition;
  /** A run column that holds a number or NULL (start_time, end_time). */
  numberColumn(column: string, clause: RunFilterClause): SqlCondition;
  /** The latest value of metric `name`. */
  metric(name: string, clause: RunFilterClause): SqlCondition;
  /** Tag `key` (the tags' JSON column). */
  tag(key: string, clause: RunFilterClause): SqlCondition;
  /** The parameter at `path` (the parameters' JSON column; a digit may index an array). */
  param(path: readonly string[], clause: RunFilterClause): SqlCondition;
}

export const isEquality = (clause: RunFilterClause): boolean => clause.operator === "=" || clause.operator === "!=";
export const isLike = (clause: RunFilterClause): boolean => clause.operator === "LIKE" || clause.operator === "ILIKE";

/** What a missing field gives in `dialect`: only `!=` matches it. */
export function missingValue(clause: RunFilterClause, dialect: RunFilterDialect): string {
  return clause.operator === "!=" ? dialect.yes : dialect.no;
}

const COLUMNS: Readonly<Record<string, { column: string; number: boolean }>> = {
  status: { column: "r.status", number: false },
  pipeline: { column: "r.pipeline", number: false },
  experiment: { column: "e.name", number: false },
  run_id: { column: "r.id", number: false },
  start_time: { column: "r.start_time", number: true },
  end_time: { column: "r.end_time", number: true },
};

function clauseCondition(clause: RunFilterClause, dialect: RunFilterDialect): SqlCondition {
  switch (clause.scope) {
    case "attributes": {
      const attribute = Object.hasOwn(COLUMNS, clause.key) ? COLUMNS[clause.key] : undefined;
      if (attribute === undefined) return { sql: dialect.yes, args: [] };
      return attribute.number
        ? dialect.numberColumn(attribute.column, clause)
        : dialect.textColumn(attribute.column, clause);
    }
    case "metrics":
      return dialect.metric(clause.key, clause);
    case "tags":
      return dialect.tag(clause.key, clause);
    case "params":
      return dialect.param(clause.key.split("."), clause);
  }
}

/** All of `parts` (true for none); a part that keeps every row drops out. */
function all(parts: SqlCondition[], dialect: RunFilterDialect): SqlCondition {
  const kept = parts.filter((part) => part.sql !== dialect.yes);
  if (kept.length === 0) return { sql: dialect.yes, args: [] };
  return { sql: kept.map((part) => `(${part.sql})`).join(" AND "), args: kept.flatMap((part) => part.args) };
}

/** Any of `parts`; a part that keeps every row keeps every row. */
function any(parts: SqlCondition[], dialect: RunFilterDialect): SqlCondition {
  if (parts.length === 0 || parts.some((part) => part.sql === dialect.yes)) return { sql: dialect.yes, args: [] };
  return { sql: parts.map((part) => `(${part.sql})`).join(" OR "), args: parts.flatMap((part) => part.args) };
}

/** The condition of `filter` in `dialect` (its true literal when SQL cannot narrow it): every run it matches meets it. */
export function compileRunFilter(filter: RunFilter, dialect: RunFilterDialect): SqlCondition {
  switch (filter.kind) {
    case "and":
      return all(
        filter.items.map((item) => compileRunFilter(item, dialect)),
        dialect,
      );
    case "or":
      return any(
        filter.items.map((item) => compileRunFilter(item, dialect)),
        dialect,
      );
    case "comparison": {
      const { value } = filter;
      if (Array.isArray(value)) {
        // IN is any of its equalities, NOT IN all of its inequalities.
        const operator = filter.operator === "IN" ? "=" : "!=";
        const parts = value.map((one: RunFilterValue) => clauseCondition({ ...filter, operator, value: one }, dialect));
        return filter.operator === "IN" ? any(parts, dialect) : all(parts, dialect);
      }
      return clauseCondition({ ...filter, value: value as RunFilterValue }, dialect);
    }
  }
}

/** The columns of a run both SQL stores read over `runs r JOIN experiments e`. */
export const RUN_COLUMNS = `r.id, e.name AS experiment, r.pipeline, r.status, r.start_time, r.end_time, r.git_commit, r.git_dirty, r.params, r.tags, r.error`;

/** The condition of a runs query's experiment, pipeline and status (`?` placeholders; empty for none). */
export function runQueryCondition(query: Omit<RunQuery, "limit">): SqlCondition {
  const where: string[] = [];
  const args: unknown[] = [];
  const conditions: [string, string | undefined][] = [
    ["e.name = ?", query.experiment],
    ["r.pipeline = ?", query.pipeline],
    ["r.status = ?", query.status],
  ];
  for (const [condition, value] of conditions) {
    if (value === undefined) continue;
    where.push(condition);
    args.push(value);
  }
  return { sql: where.join(" AND "), args };
}
