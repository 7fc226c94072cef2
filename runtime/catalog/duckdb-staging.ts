/**
 * What a node saves to a DuckDB-backed dataset (a danfojs DataFrame, row objects or an Apache Arrow table),
 * staged as a temporary table of the connection through DuckDB's appender, one data chunk at a time. Columns
 * of plain values (numbers, strings, booleans, dates, bigints) are typed here as DuckDB's read_json typed
 * them before (whole numbers BIGINT, others DOUBLE); a table holding nested values (lists, objects) still
 * goes through newline-delimited JSON and read_json, which infers STRUCT and LIST types. Loaded on first save.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  DuckDBDataChunk,
  FLOAT,
  INTEGER,
  JSToDuckDBValueConverter,
  TIMESTAMP,
  UBIGINT,
  UINTEGER,
  VARCHAR,
  type DuckDBConnection,
  type DuckDBType,
  type JS,
} from "@duckdb/node-api";
import type * as Arrow from "apache-arrow";
import type { DataType, Table } from "apache-arrow";
import { isArrowTable } from "./arrow-table.ts";
import { sqlIdentifier, sqlString } from "./duckdb.ts";

/** Named columns with their DuckDB types, ready for the appender. */
interface TypedColumns {
  names: string[];
  columns: (JS | null)[][];
  types: DuckDBType[];
}

/** The staged table's name, in the connection's temporary catalog. */
const STAGED = "cellforge_staged";

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

function unsaveable(): TypeError {
  return new TypeError("save a danfojs DataFrame, an Apache Arrow table or an array of row objects");
}

/** The saved value as named columns: a DataFrame's or row objects' values. */
function columnMajor(data: unknown): { names: string[]; columns: unknown[][] } {
  if (Array.isArray(data)) {
    if (!data.every((row) => typeof row === "object" && row !== null && !Array.isArray(row))) throw unsaveable();
    const objects = data as Record<string, unknown>[];
    const names = new Set<string>();
    for (const row of objects) for (const name of Object.keys(row)) names.add(name);
    return { names: [...names], columns: [...names].map((name) => objects.map((row) => row[name])) };
  }
  const frame = data as { columns?: unknown; values?: unknown } | null;
  if (frame !== null && Array.isArray(frame.columns) && Array.isArray(frame.values)) {
    // danfojs keeps its rows at hand (`values`); `column(name)` builds a Series per call, ~5× slower here.
    const names = frame.columns as string[];
    const rows = frame.values as unknown[][];
    return { names, columns: names.map((_, c) => rows.map((row) => row[c])) };
  }
  throw unsaveable();
}

/** The DuckDB type for a column of plain JS values, or undefined when it holds nested or mixed values (read_json types those). */
function plainType(values: readonly unknown[]): DuckDBType | undefined {
  let kind: "integer" | "number" | "bigint" | "string" | "boolean" | "date" | undefined;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const next =
      typeof value === "number"
        ? Number.isSafeInteger(value)
          ? "integer"
          : "number"
        : typeof value === "bigint"
          ? "bigint"
          : typeof value === "string"
            ? "string"
            : typeof value === "boolean"
              ? "boolean"
              : value instanceof Date
                ? "date"
                : undefined;
    if (next === undefined) return undefined;
    if (kind === undefined || kind === next) kind = next;
    else if ((kind === "integer" && next === "number") || (kind === "number" && next === "integer")) kind = "number";
    else return undefined;
  }
  switch (kind) {
    case "integer":
    case "bigint":
      return BIGINT;
    case "number":
      return DOUBLE;
    case "string":
      return VARCHAR;
    case "boolean":
      return BOOLEAN;
    case "date":
      return TIMESTAMP;
    default:
      return undefined; // only nulls: read_json decides, as it did
  }
}

/** The columns of a DataFrame or row objects, typed; undefined when some column needs read_json. */
function plainColumns(names: string[], values: readonly unknown[][]): TypedColumns | undefined {
  const types: DuckDBType[] = [];
  for (const column of values) {
    const type = plainType(column);
    if (type === undefined) return undefined;
    types.push(type);
  }
  const columns = values.map((column) => column.map((v) => (v ?? null) as JS | null));
  return { names, columns, types };
}

/** The DuckDB type for an Arrow column type. */
function duckDBTypeOfArrow(arrow: typeof Arrow, type: DataType, column: string): DuckDBType {
  const { DataType: is, Precision } = arrow;
  if (is.isInt(type)) {
    if (type.bitWidth === 64) return type.isSigned ? BIGINT : UBIGINT;
    return type.isSigned || type.bitWidth < 32 ? INTEGER : UINTEGER;
  }
  if (is.isFloat(type)) return type.precision === Precision.DOUBLE ? DOUBLE : FLOAT;
  if (is.isBool(type)) return BOOLEAN;
  if (is.isUtf8(type) || is.isLargeUtf8(type)) return VARCHAR;
  if (is.isDictionary(type) && (is.isUtf8(type.dictionary) || is.isLargeUtf8(type.dictionary))) return VARCHAR;
  if (is.isTimestamp(type) || is.isDate(type)) return TIMESTAMP;
  throw new TypeError(
    `column \`${column}\` of the Arrow table is an Arrow ${arrow.Type[type.typeId]}, which cellforge cannot save yet; save numbers, strings, booleans or timestamps (cast the column first)`,
  );
}

/** The columns of an Arrow table, typed from its schema. */
async function arrowColumns(table: Table): Promise<TypedColumns> {
  const arrow = await import("apache-arrow");
  const names = table.schema.fields.map((field) => field.name);
  const types = table.schema.fields.map((field) => duckDBTypeOfArrow(arrow, field.type as DataType, field.name));
  const columns = names.map((name, c) => {
    const values = [...(table.getChild(name) ?? [])] as (JS | null)[];
    // Arrow hands timestamps and dates over as epoch milliseconds.
    return types[c] === TIMESTAMP ? values.map((v) => (typeof v === "number" ? new Date(v) : v)) : values;
  });
  return { names, columns, types };
}

/** Appends typed columns to the (created) staged table, one data chunk at a time. */
async function append(connection: DuckDBConnection, table: TypedColumns): Promise<void> {
  const columns = table.names.map((name, c) => `${sqlIdentifier(name)} ${table.types[c]!.toString()}`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${STAGED} (${columns.join(", ")})`);
  const appender = await connection.createAppender(STAGED, "main", "temp");
  try {
    const rows = table.columns[0]?.length ?? 0;
    for (let start = 0; start < rows; start += CHUNK_ROWS) {
      const end = Math.min(rows, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(table.types, end - start);
      chunk.setColumnsConverted(
        table.columns.map((column) => column.slice(start, end)),
        JSToDuckDBValueConverter,
      );
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Columns with nested values, through newline-delimited JSON in a private temporary folder (removed afterwards). */
async function appendAsJson(
  connection: DuckDBConnection,
  names: string[],
  columns: readonly unknown[][],
): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), "cellforge-duckdb-"));
  try {
    const file = join(folder, "rows.ndjson");
    const rows = columns[0]?.length ?? 0;
    const lines: string[] = [];
    for (let r = 0; r < rows; r++)
      lines.push(JSON.stringify(Object.fromEntries(names.map((name, c) => [name, columns[c]![r] ?? null]))));
    await writeFile(file, lines.join("\n") + "\n");
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${STAGED} AS SELECT ${names.map(sqlIdentifier).join(", ")} FROM read_json(${sqlString(file)}, format = 'newline_delimited', sample_size = -1)`,
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Stages `data` through newline-delimited JSON whatever it holds (the way every save went before the appender; bench/data-save.ts compares the two). */
export async function stageTableAsJson(connection: DuckDBConnection, data: unknown): Promise<string> {
  const { names, columns } = columnMajor(data);
  await appendAsJson(connection, names, columns);
  return `temp.main.${STAGED}`;
}

/** Stages `data` as a temporary table of `connection` and returns its name for SQL (`temp.cellforge_staged`). */
export async function stageTable(connection: DuckDBConnection, data: unknown): Promise<string> {
  if (isArrowTable(data)) {
    if (data.schema.fields.length === 0) throw new TypeError("there is nothing to save: the table has no columns");
    await append(connection, await arrowColumns(data));
  } else {
    const { names, columns } = columnMajor(data);
    if (names.length === 0) throw new TypeError("there is nothing to save: the table has no columns");
    const plain = plainColumns(names, columns);
    if (plain === undefined) await appendAsJson(connection, names, columns);
    else await append(connection, plain);
  }
  return `temp.main.${STAGED}`;
}
