/** `text` datasets: a string in a UTF-8 file. */
import { readFile } from "node:fs/promises";
import { writeFileSynced } from "./atomic-write.ts";
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import { FileDataset } from "./file-dataset.ts";

/** A UTF-8 text file. */
export class TextDataset extends FileDataset<string> {
  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "text", entry, context);
  }

  protected async read(path: string): Promise<string> {
    return readFile(path, "utf8");
  }

  protected async write(path: string, data: string): Promise<void> {
    if (typeof data !== "string")
      throw new TypeError(`a text dataset saves strings, not ${typeof data}; use type json for other values`);
    await writeFileSynced(path, data);
  }
}
