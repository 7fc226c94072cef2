/** `csv` datasets: danfojs DataFrames (read with cellforge's one CSV reader and typing rule, written as RFC 4180 CSV, atomically). */
import { readFile } from "node:fs/promises";
import type { DataFrame } from "danfojs-node";
import { writeFileSynced } from "./atomic-write.ts";
import { columnType, columnValue } from "./cell-typing.ts";
import { formatCsv } from "./csv-format.ts";
import { CsvSyntaxError, parseCsv } from "./csv-reader.ts";
import { dataFrameOf, firstLine, type SqlRelation, queryColumns, sqlString, withDuckDB } from "./duckdb.ts";
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import { CatalogConfigError } from "./errors.ts";
import { FileDataset } from "./file-dataset.ts";

/** The parts of a DataFrame a CSV needs; arrays of records are accepted too. */
interface Tabular {
  columns: string[];
  values: unknown;
}

function isTabular(data: unknown): data is Tabular {
  return (
    typeof data === "object" &&
    data !== null &&
    Array.isArray((data as Tabular).columns) &&
    Array.isArray((data as Tabular).values)
  );
}

function isRecordArray(data: unknown): data is Record<string, unknown>[] {
  return Array.isArray(data) && data.every((row) => typeof row === "object" && row !== null && !Array.isArray(row));
}

function toCsv(data: unknown, delimiter: string): string {
  if (isTabular(data)) {
    const values = data.values as unknown[];
    const rows = values.map((row) => (Array.isArray(row) ? row : [row]) as unknown[]);
    return formatCsv(data.columns, rows, delimiter);
  }
  if (isRecordArray(data)) {
    const columns = [...new Set(data.flatMap((row) => Object.keys(row)))];
    return formatCsv(
      columns,
      data.map((row) => columns.map((c) => row[c])),
      delimiter,
    );
  }
  throw new TypeError("a csv dataset saves a danfojs DataFrame or an array of records; use type json for other values");
}

/** A mapping option of the entry (checked as a mapping by the catalog), or an empty one. */
function mappingOption(entry: CatalogEntry, key: string): Readonly<Record<string, unknown>> {
  const value = entry[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The delimiter option of `args` (load_args or save_args), checked: one character. */
function delimiterOption(name: string, key: string, args: Readonly<Record<string, unknown>>): string {
  const delimiter = args["delimiter"] ?? ",";
  if (typeof delimiter !== "string" || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new CatalogConfigError(
      `Catalog entry \`${name}\` has \`${key}.delimiter: ${JSON.stringify(delimiter)}\`; use one character, e.g. ";".`,
    );
  }
  return delimiter;
}

/** The columns of a CSV text, each typed as a whole by the catalog's rule (cell-typing.ts). */
export function typedColumns(text: string, delimiter = ","): Record<string, (number | boolean | string | null)[]> {
  const [header = [], ...rows] = parseCsv(text, { delimiter });
  const columns: Record<string, (number | boolean | string | null)[]> = {};
  header.forEach((column, i) => {
    const cells = rows.map((row) => row[i] ?? "");
    const type = columnType(cells);
    columns[column] = cells.map((cell) => columnValue(cell, type));
  });
  return columns;
}

/**
 * The DuckDB relation of a CSV file, typed by the catalog's rule: DuckDB's sniffer may pick only booleans
 * (true/false), numbers or text for a column, never dates or times, as the default reader does.
 */
export function csvRelation(path: string, delimiter = ","): string {
  return `read_csv(${sqlString(path)}, header = true, delim = ${sqlString(delimiter)}, quote = '"', escape = '"', auto_type_candidates = ['BOOLEAN', 'BIGINT', 'DOUBLE', 'VARCHAR'])`;
}

async function readCsvWithDuckDB(root: string, path: string, delimiter: string): Promise<DataFrame> {
  const result = await withDuckDB(root, (c) => queryColumns(c, `SELECT * FROM ${csvRelation(path, delimiter)}`)).catch(
    (error: unknown) => {
      throw new Error(firstLine(error));
    },
  );
  return dataFrameOf(result.names, result.columns);
}

/** A CSV file loaded as a danfojs DataFrame; `load_args.delimiter` goes to the reader, `save_args.delimiter` to the writer. */
export class CsvDataset extends FileDataset<DataFrame> {
  private readonly loadDelimiter: string;
  private readonly delimiter: string;
  private readonly engine: "cellforge" | "duckdb";

  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "csv", entry, context);
    const engine = entry["engine"] ?? "cellforge";
    if (engine !== "cellforge" && engine !== "duckdb")
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` has \`engine: ${JSON.stringify(engine)}\`; use \`cellforge\` (the default) or \`duckdb\` (for large files).`,
      );
    this.engine = engine;
    const loadArgs = mappingOption(entry, "load_args");
    const unknown = Object.keys(loadArgs).filter((key) => key !== "delimiter");
    if (unknown.length > 0)
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` has \`load_args.${unknown[0]}\`; a csv dataset's load_args take only \`delimiter\` (e.g. { delimiter: ";" }).`,
      );
    this.loadDelimiter = delimiterOption(name, "load_args", loadArgs);
    this.delimiter = delimiterOption(name, "save_args", mappingOption(entry, "save_args"));
  }

  protected async read(path: string): Promise<DataFrame> {
    if (this.engine === "duckdb") return readCsvWithDuckDB(this.context.root, path, this.loadDelimiter);
    let columns;
    try {
      columns = typedColumns(await readFile(path, "utf8"), this.loadDelimiter);
    } catch (error) {
      if (error instanceof CsvSyntaxError) throw new CsvSyntaxError(error.line, `The file has ${error.message}.`);
      throw error;
    }
    // danfojs-node costs a second to import: only runs that touch a CSV pay for it.
    const { DataFrame } = await import("danfojs-node");
    return new DataFrame(columns);
  }

  /** The file as a DuckDB relation, typed as loads type it (for `sql` in notebooks). */
  async sqlRelation(): Promise<SqlRelation> {
    return { relation: csvRelation(await this.loadPath(), this.loadDelimiter) };
  }

  protected async write(path: string, data: DataFrame): Promise<void> {
    await writeFileSynced(path, toCsv(data, this.delimiter));
  }

  override rows(data: DataFrame): number | undefined {
    const value: unknown = data;
    if (isTabular(value)) return (value.values as unknown[]).length;
    return Array.isArray(value) ? value.length : undefined;
  }
}
