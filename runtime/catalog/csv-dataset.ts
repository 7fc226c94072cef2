/** `csv` datasets: danfojs DataFrames (read with danfo, written as RFC 4180 CSV, atomically). */
import type { DataFrame } from "danfojs-node";
import { writeFileSynced } from "./atomic-write.ts";
import { formatCsv } from "./csv-format.ts";
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

/** A CSV file loaded as a danfojs DataFrame; `load_args` go to papaparse (through danfo), `save_args.delimiter` to the writer. */
export class CsvDataset extends FileDataset<DataFrame> {
  private readonly loadArgs: Readonly<Record<string, unknown>>;
  private readonly delimiter: string;

  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "csv", entry, context);
    this.loadArgs = mappingOption(entry, "load_args");
    const delimiter = mappingOption(entry, "save_args")["delimiter"] ?? ",";
    if (typeof delimiter !== "string" || delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
      throw new CatalogConfigError(
        `Catalog entry \`${name}\` has \`save_args.delimiter: ${JSON.stringify(delimiter)}\`; use one character, e.g. ";".`,
      );
    }
    this.delimiter = delimiter;
  }

  protected async read(path: string): Promise<DataFrame> {
    // danfojs-node costs a second to import: only runs that touch a CSV pay for it.
    const { readCSV } = await import("danfojs-node");
    // Papaparse options pass through danfo; its types do not list them. A trailing blank line is not a row.
    const options: Parameters<typeof readCSV>[1] & { skipEmptyLines: "greedy" } = {
      skipEmptyLines: "greedy",
      ...this.loadArgs,
    };
    return readCSV(path, options);
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
