/** `json` datasets: any JSON-serialisable value, pretty-printed. */
import { readFile } from "node:fs/promises";
import { writeFileSynced } from "./atomic-write.ts";
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import { FileDataset } from "./file-dataset.ts";

/** Serialises `data`, refusing values JSON would silently drop or mangle. */
function toJson(data: unknown): string {
  const text = JSON.stringify(
    data,
    (_key, value: unknown) => {
      if (typeof value === "bigint")
        throw new TypeError("a BigInt cannot be written as JSON; convert it to a number or string first");
      if (typeof value === "function") throw new TypeError("a function cannot be written as JSON");
      return value;
    },
    2,
  );
  if (text === undefined) throw new TypeError(`a ${typeof data} cannot be written as JSON`);
  return `${text}\n`;
}

/** A JSON file holding any JSON-serialisable value. */
export class JsonDataset extends FileDataset<unknown> {
  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "json", entry, context);
  }

  protected async read(path: string): Promise<unknown> {
    return JSON.parse(await readFile(path, "utf8")) as unknown;
  }

  protected async write(path: string, data: unknown): Promise<void> {
    await writeFileSynced(path, toJson(data));
  }

  override rows(data: unknown): number | undefined {
    return Array.isArray(data) ? data.length : undefined;
  }
}
