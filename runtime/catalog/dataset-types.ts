/** The dataset types the catalog knows, by the `type` name catalog.yml uses; users may add their own. */
import { CsvDataset } from "./csv-dataset.ts";
import type { DatasetFactory } from "./dataset.ts";
import { JsonDataset } from "./json-dataset.ts";
import { MemoryDataset } from "./memory-dataset.ts";
import { TextDataset } from "./text-dataset.ts";
import { TfjsModelDataset } from "./tfjs-model-dataset.ts";

const factories = new Map<string, DatasetFactory>([
  ["csv", (name, entry, context) => new CsvDataset(name, entry, context)],
  ["json", (name, entry, context) => new JsonDataset(name, entry, context)],
  ["text", (name, entry, context) => new TextDataset(name, entry, context)],
  ["tfjs-model", (name, entry, context) => new TfjsModelDataset(name, entry, context)],
  ["memory", (name) => new MemoryDataset(name)],
]);

/** Registers a dataset type under `type` (e.g. "parquet"), usable in catalog.yml from then on. */
export function registerDatasetType(type: string, factory: DatasetFactory): void {
  factories.set(type, factory);
}

/** The factory for `type`, or undefined. */
export function datasetFactory(type: string): DatasetFactory | undefined {
  return factories.get(type);
}

/** Every known type name, sorted. */
export function knownDatasetTypes(): string[] {
  return [...factories.keys()].sort();
}
