/** `tfjs-model` datasets: a tf.LayersModel in a folder (model.json + weights.bin), on any backend. */
import type { LayersModel } from "@tensorflow/tfjs";
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import { FileDataset } from "./file-dataset.ts";
import { fileSystemHandler } from "./file-system-io-handler.ts";

/** A TF.js layers model saved through the file-system IOHandler. */
export class TfjsModelDataset extends FileDataset<LayersModel> {
  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "tfjs-model", entry, context, true);
  }

  protected async read(path: string): Promise<LayersModel> {
    const tf = await import("@tensorflow/tfjs");
    return tf.loadLayersModel(fileSystemHandler(tf.io, path));
  }

  protected async write(path: string, data: LayersModel): Promise<void> {
    if (typeof data !== "object" || data === null || typeof (data as Partial<LayersModel>).save !== "function") {
      throw new TypeError("a tfjs-model dataset saves a tf.LayersModel (something with a save() method)");
    }
    const tf = await import("@tensorflow/tfjs");
    await data.save(fileSystemHandler(tf.io, path));
  }
}
