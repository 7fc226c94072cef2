/**
 * `tfjs-tensor` datasets: a tf.Tensor (the mean and deviation of `tf.moments` a notebook standardises with, an
 * embedding matrix) in a JSON file: its shape, dtype and values; loading makes the same tensor again.
 */
import { readFile } from "node:fs/promises";
import type * as TF from "@tensorflow/tfjs";
import { writeFileSynced } from "./atomic-write.ts";
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import { FileDataset } from "./file-dataset.ts";

/** A tensor as the JSON files keep it (here, and as a field of a danfojs transformer). */
export interface SavedTensor {
  shape: number[];
  dtype: TF.DataType;
  values: TF.TensorLike;
}

/** `tensor`'s shape, dtype and values. */
export function savedTensor(tensor: TF.Tensor): SavedTensor {
  return { shape: tensor.shape, dtype: tensor.dtype, values: tensor.arraySync() };
}

/** The tensor `saved` describes, made with `tf` (the TF.js the reader's tensors must come from). */
export function tensorOf(tf: typeof TF, saved: SavedTensor): TF.Tensor {
  return tf.tensor(saved.values, saved.shape, saved.dtype);
}

// TF.js costs a moment to import: only runs that touch a tensor pay for it.
const tfjs = (): Promise<typeof TF> => import("@tensorflow/tfjs");

/** A tf.Tensor in a JSON file. */
export class TfjsTensorDataset extends FileDataset<TF.Tensor> {
  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "tfjs-tensor", entry, context);
  }

  protected async read(path: string): Promise<TF.Tensor> {
    const saved = JSON.parse(await readFile(path, "utf8")) as Partial<SavedTensor>;
    if (!Array.isArray(saved.shape) || typeof saved.dtype !== "string" || saved.values === undefined)
      throw new TypeError(`${path} is not a saved tensor (it needs shape, dtype and values): save the tensor again`);
    return tensorOf(await tfjs(), saved as SavedTensor);
  }

  protected async write(path: string, data: TF.Tensor): Promise<void> {
    const tf = await tfjs();
    if (!(data instanceof tf.Tensor))
      throw new TypeError(
        `a tfjs-tensor dataset saves a tf.Tensor, not ${typeof data === "object" && data !== null ? (data as object).constructor.name : typeof data}; use type json for plain data`,
      );
    if (data.isDisposed)
      throw new TypeError(
        "the tensor was disposed before it was saved: keep it (tf.keep) or save it before disposing of it",
      );
    await writeFileSynced(path, `${JSON.stringify(savedTensor(data))}\n`);
  }
}
