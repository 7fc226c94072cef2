/** `csv` datasets: danfojs DataFrames (read with danfo, written as RFC 4180 CSV, atomically). */
import type { DataFrame } from "danfojs-node";
import { writeFileSynced } from "./atomic-write.ts";
import { formatCsv } from "./csv-format.ts";
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import { FileDataset } from "./file-dataset.ts";

/** The parts of a DataFrame a CSV needs; arrays of records are accepted too. */
interface Tabular {
  columns: string[];
  values: unknown;
}

function isTabular(data: unknown): data is Tabular {
  return typeof data === "object" && data !== null && Array.isArray((data as Tabular).columns) && Array.isArray((data as Tabular).values);
}

function isRecordArray(data: unknown): data is Record<string, unknown>[] {
  return Array.isArray(data) && data.every((row) => typeof row === "object" && row !== null && !Array.isArray(row));
}

function toCsv(data: unknown): string {
  if (isTabular(data)) {
    const values = data.values as unknown[];
    const rows = values.map((row) => (Array.isArray(row) ? row : [row]) as unknown[]);
    return formatCsv(data.columns, rows);
  }
  if (isRecordArray(data)) {
    const columns = [...new Set(data.flatMap((row) => Object.keys(row)))];
    return formatCsv(columns, data.map((row) => columns.map((c) => row[c])));
  }
  throw new TypeError("a csv dataset saves a danfojs DataFrame or an array of records; use type json for other values");
}

/** A CSV file loaded as a danfojs DataFrame. */
export class CsvDataset extends FileDataset<DataFrame> {
  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "csv", entry, context);
  }

  protected async read(path: string): Promise<DataFrame> {
    // danfojs-node costs a second to import: only runs that touch a CSV pay for it.
    const { readCSV } = await import("danfojs-node");
    // Papaparse options pass through danfo; its types do not list them. A trailing blank line is not a row.
    const options: Parameters<typeof readCSV>[1] & { skipEmptyLines: "greedy" } = { skipEmptyLines: "greedy" };
    return readCSV(path, options);
  }

  protected async write(path: string, data: DataFrame): Promise<void> {
    await writeFileSynced(path, toCsv(data));
  }

  override rows(data: DataFrame): number | undefined {
    const value: unknown = data;
    if (isTabular(value)) return (value.values as unknown[]).length;
    return Array.isArray(value) ? value.length : undefined;
  }
}
