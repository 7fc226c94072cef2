/**
 * Reads the request formats of MLflow's scoring server (mlflow/pyfunc/scoring_server) as rows:
 * `dataframe_split` ({columns, data[, index]}), `dataframe_records` ([{…}]), and TF-serving's
 * `instances` / `inputs` (a list of records, a list of positional rows in the request schema's
 * field order, or a record of columns). Exactly one of them, plus an optional empty `params`.
 * The rows are then validated against the request schema like POST /predict's.
 */
import { InvalidRequestError } from "./errors.ts";
import { nextTurn } from "./next-turn.ts";

/** MLflow's four input keys. */
export const MLFLOW_FORMATS = ["dataframe_split", "dataframe_records", "instances", "inputs"] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Rows made one at a time: `row(i)` is the i-th record (positional rows and columns become records this way). */
interface RowMaker {
  count: number;
  row: (index: number) => unknown;
}

function columnsToRows(columns: Record<string, unknown>, key: string): RowMaker {
  const names = Object.keys(columns);
  const lists = names.map((name) => columns[name]);
  if (!lists.every(Array.isArray))
    throw new InvalidRequestError(
      `\`${key}\` as a record of columns needs an array per column, e.g. {"${names[0] ?? "x"}": [1, 2]}.`,
      key,
      `/${key}`,
    );
  const length = (lists[0] as unknown[] | undefined)?.length ?? 0;
  const uneven = names.find((_, i) => (lists[i] as unknown[]).length !== length);
  if (uneven !== undefined)
    throw new InvalidRequestError(
      `\`${key}\`: column \`${uneven}\` has ${(columns[uneven] as unknown[]).length} values, \`${names[0]}\` has ${length}; every column needs one value per row.`,
      uneven,
      `/${key}/${uneven}`,
    );
  const values = new Array<unknown>(names.length);
  return {
    count: length,
    row: (row) => {
      for (let i = 0; i < names.length; i++) values[i] = (lists[i] as unknown[])[row];
      return recordOf(names, values);
    },
  };
}

/** One record from positional values: a plain loop, as Object.fromEntries(map(...)) costs two arrays per row. */
function recordOf(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) {
    const name = columns[i]!;
    // A `__proto__` column stays a column (and is refused as an unknown field), never the record's prototype.
    if (name === "__proto__")
      Object.defineProperty(record, name, { value: values[i], enumerable: true, writable: true, configurable: true });
    else record[name] = values[i];
  }
  return record;
}

function positionalRows(data: unknown[], columns: readonly string[], key: string): RowMaker {
  return {
    count: data.length,
    row: (index) => {
      const row = data[index];
      if (!Array.isArray(row))
        throw new InvalidRequestError(
          `row ${index}: \`${key}\` rows must all be arrays of values (or all be records).`,
          undefined,
          `/${key}/${index}`,
        );
      if (row.length !== columns.length) {
        throw new InvalidRequestError(
          `row ${index} has ${row.length} values for ${columns.length} columns (${columns.join(", ")}).`,
          undefined,
          `/${key}/${index}`,
        );
      }
      return recordOf(columns, row as unknown[]);
    },
  };
}

function listRows(value: unknown[], fields: readonly string[], key: string): unknown[] | RowMaker {
  if (value.length === 0 || value.every(isRecord)) return value;
  if (value.every(Array.isArray)) return positionalRows(value, fields, key);
  return value; // mixed: let schema validation name the row that is not a record
}

/** Rows made per turn of the event loop when a request's rows are read in turns: about a millisecond. */
const ROWS_PER_TURN = 1000;

/**
 * The rows of an MLflow scoring request. `fields` is the request schema's field order, used for
 * positional rows. Throws InvalidRequestError (400) for a body that is none of the formats.
 */
export function mlflowRows(body: unknown, fields: readonly string[]): unknown[] {
  const rows = mlflowRowSource(body, fields);
  return Array.isArray(rows) ? rows : Array.from({ length: rows.count }, (_, i) => rows.row(i));
}

/**
 * mlflowRows, with positional rows and columns made into records a thousand rows per turn of the event loop, so
 * that a 10,000-row `dataframe_split` does not hold up /health and small /predict requests.
 */
export async function mlflowRowsInTurns(body: unknown, fields: readonly string[]): Promise<unknown[]> {
  const rows = mlflowRowSource(body, fields);
  if (Array.isArray(rows)) return rows;
  const records = new Array<unknown>(rows.count);
  for (let i = 0; i < rows.count; i++) {
    if (i > 0 && i % ROWS_PER_TURN === 0) await nextTurn();
    records[i] = rows.row(i);
  }
  return records;
}

/** The rows of an MLflow scoring request as they are, or made one at a time. */
function mlflowRowSource(body: unknown, fields: readonly string[]): unknown[] | RowMaker {
  if (!isRecord(body)) {
    const kind = Array.isArray(body) ? "a list" : body === null ? "null" : `a ${typeof body}`;
    throw new InvalidRequestError(
      `The body must be a JSON object with exactly one of ${MLFLOW_FORMATS.join(", ")} (or a CSV table sent as text/csv); it is ${kind}.`,
    );
  }
  const keys = Object.keys(body);
  const formats = keys.filter((k): k is (typeof MLFLOW_FORMATS)[number] =>
    (MLFLOW_FORMATS as readonly string[]).includes(k),
  );
  const others = keys.filter((k) => !(MLFLOW_FORMATS as readonly string[]).includes(k) && k !== "params");
  if (formats.length !== 1 || others.length > 0) {
    throw new InvalidRequestError(
      `The body must be a JSON object with exactly one of ${MLFLOW_FORMATS.join(", ")}; it has ${keys.length === 0 ? "no fields" : keys.join(", ")}.`,
    );
  }
  const params = body["params"];
  if (params !== undefined && params !== null && !(isRecord(params) && Object.keys(params).length === 0)) {
    throw new InvalidRequestError("This model takes no inference `params`; leave them out.", "params", "/params");
  }
  const key = formats[0]!;
  const value = body[key];
  switch (key) {
    case "dataframe_split": {
      if (!isRecord(value) || !Array.isArray(value["columns"]) || !Array.isArray(value["data"])) {
        throw new InvalidRequestError(
          '`dataframe_split` must be {"columns": [...], "data": [[...], ...]} (pandas orient="split").',
          key,
          `/${key}`,
        );
      }
      const columns = value["columns"] as unknown[];
      if (!columns.every((c): c is string => typeof c === "string"))
        throw new InvalidRequestError(
          "`dataframe_split.columns` must be column names (strings).",
          key,
          `/${key}/columns`,
        );
      return positionalRows(value["data"] as unknown[], columns, `${key}/data`);
    }
    case "dataframe_records":
      if (!Array.isArray(value))
        throw new InvalidRequestError(
          '`dataframe_records` must be a list of records (pandas orient="records").',
          key,
          `/${key}`,
        );
      return value as unknown[];
    case "instances":
    case "inputs":
      if (Array.isArray(value)) return listRows(value, fields, key);
      if (isRecord(value)) return columnsToRows(value, key);
      throw new InvalidRequestError(
        `\`${key}\` must be a list of records, a list of rows, or a record of columns.`,
        key,
        `/${key}`,
      );
  }
}
