/**
 * Apache Arrow tables for DuckDB-backed datasets (`as: arrow`): a query's columns become an Arrow `Table`
 * through apache-arrow's own builders (`vectorFromArray`), and a saved `Table` is read column by column. The
 * Arrow types follow DuckDB's (BIGINT is Int64, with bigint values), so nothing is rounded on the way.
 * apache-arrow is imported on first use, as danfojs is.
 */
import { DuckDBTypeId, type DuckDBType } from "@duckdb/node-api";
import type * as ArrowModule from "apache-arrow";
import type { DataType, Table, Vector } from "apache-arrow";

type Arrow = typeof ArrowModule;

/** A column whose DuckDB type has no Arrow counterpart here (a STRUCT, a MAP, an INTERVAL…). */
export class ArrowTypeError extends TypeError {
  readonly code = "ARROW_TYPE";
}

/** The Arrow type for a DuckDB column type. */
function arrowType(arrow: Arrow, type: DuckDBType, column: string): DataType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new arrow.Bool();
    case DuckDBTypeId.TINYINT:
      return new arrow.Int8();
    case DuckDBTypeId.SMALLINT:
      return new arrow.Int16();
    case DuckDBTypeId.INTEGER:
      return new arrow.Int32();
    case DuckDBTypeId.BIGINT:
      return new arrow.Int64();
    case DuckDBTypeId.UTINYINT:
      return new arrow.Uint8();
    case DuckDBTypeId.USMALLINT:
      return new arrow.Uint16();
    case DuckDBTypeId.UINTEGER:
      return new arrow.Uint32();
    case DuckDBTypeId.UBIGINT:
      return new arrow.Uint64();
    case DuckDBTypeId.FLOAT:
      return new arrow.Float32();
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return new arrow.Float64();
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
      return new arrow.Utf8();
    case DuckDBTypeId.DATE:
      return new arrow.DateMillisecond();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new arrow.TimestampMillisecond();
    case DuckDBTypeId.SQLNULL:
      return new arrow.Null();
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
      return new arrow.List(new arrow.Field("item", arrowType(arrow, type.valueType, column), true));
    default:
      throw new ArrowTypeError(
        `column \`${column}\` is a DuckDB ${type.toString()}, which cellforge does not hand over as Arrow; cast it in SQL (a duckdb.query) or load it as a DataFrame (drop \`as: arrow\`)`,
      );
  }
}

/** An Arrow table of a query's columns (as the JS values @duckdb/node-api reads, bigints kept) and their DuckDB types. */
export async function arrowTableOf(
  names: readonly string[],
  columns: Record<string, unknown[]>,
  types: readonly DuckDBType[],
): Promise<Table> {
  const arrow = await import("apache-arrow");
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    vectors[name] = arrow.vectorFromArray(columns[name] ?? [], arrowType(arrow, types[i]!, name));
  });
  return new arrow.Table(vectors);
}

/** Whether `data` is an Apache Arrow table (duck-typed, so a second copy of apache-arrow's classes still counts). */
export function isArrowTable(data: unknown): data is Table {
  const table = data as Partial<Table> | null;
  return (
    typeof table === "object" &&
    table !== null &&
    typeof table.getChild === "function" &&
    Array.isArray(table.schema?.fields) &&
    typeof table.numRows === "number"
  );
}
