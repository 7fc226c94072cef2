/**
 * `danfojs-transformer` datasets: a fitted danfojs scaler or encoder (StandardScaler, MinMaxScaler, LabelEncoder,
 * OneHotEncoder), the TypeScript port of scikit-learn's preprocessing a notebook fits and the served model reuses.
 * The file is JSON: the class's name and every field of the fitted object, a tensor as its values, shape and dtype;
 * loading builds a new instance of that class and gives it those fields, tensors made with danfojs's own TF.js.
 */
import { readFile } from "node:fs/promises";
import type * as TF from "@tensorflow/tfjs";
import type * as Danfo from "danfojs-node";
import { writeFileSynced } from "./atomic-write.ts";
import type { CatalogEntry, DatasetContext } from "./dataset.ts";
import { FileDataset } from "./file-dataset.ts";
import { savedTensor, tensorOf, type SavedTensor } from "./tfjs-tensor-dataset.ts";

/** The danfojs classes this type keeps. */
export const DANFOJS_TRANSFORMERS = ["StandardScaler", "MinMaxScaler", "LabelEncoder", "OneHotEncoder"] as const;
type TransformerName = (typeof DANFOJS_TRANSFORMERS)[number];

/** One field of the fitted object, as the file keeps it. */
type SavedField = ({ kind: "tensor" } & SavedTensor) | { kind: "value"; value: unknown };

interface SavedTransformer {
  class: TransformerName;
  fields: Record<string, SavedField>;
}

/** danfojs-node and the TF.js it makes its tensors with (typed `any` by danfojs). */
async function danfo(): Promise<{ dfd: typeof Danfo; tf: typeof TF }> {
  // danfojs-node costs a second to import: only runs that touch a transformer pay for it.
  const dfd = await import("danfojs-node");
  return { dfd, tf: dfd.tensorflow as typeof TF };
}

function isTransformerName(name: unknown): name is TransformerName {
  return typeof name === "string" && (DANFOJS_TRANSFORMERS as readonly string[]).includes(name);
}

/** A fitted danfojs scaler or encoder in a JSON file. */
export class DanfojsTransformerDataset extends FileDataset<object> {
  constructor(name: string, entry: CatalogEntry, context: DatasetContext) {
    super(name, "danfojs-transformer", entry, context);
  }

  protected async read(path: string): Promise<object> {
    const saved = JSON.parse(await readFile(path, "utf8")) as Partial<SavedTransformer>;
    if (!isTransformerName(saved.class) || typeof saved.fields !== "object" || saved.fields === null)
      throw new TypeError(
        `${path} is not a saved danfojs transformer (it names no class of ${DANFOJS_TRANSFORMERS.join(", ")}): save the fitted object again`,
      );
    const { dfd, tf } = await danfo();
    const transformer = new dfd[saved.class]() as unknown as Record<string, unknown>;
    for (const [key, field] of Object.entries(saved.fields)) {
      transformer[key] = field.kind === "tensor" ? tensorOf(tf, field) : field.value;
    }
    return transformer;
  }

  protected async write(path: string, data: object): Promise<void> {
    const { dfd, tf } = await danfo();
    const name = DANFOJS_TRANSFORMERS.find((c) => data instanceof dfd[c]);
    if (name === undefined)
      throw new TypeError(
        `a danfojs-transformer dataset saves a fitted ${DANFOJS_TRANSFORMERS.join(", ")} of danfojs-node, not ${data === null ? "null" : (data.constructor?.name ?? typeof data)}; use type json for plain data`,
      );
    const fields: Record<string, SavedField> = {};
    for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
      fields[key] =
        value instanceof tf.Tensor ? { kind: "tensor", ...savedTensor(value as TF.Tensor) } : { kind: "value", value };
    }
    const saved: SavedTransformer = { class: name, fields };
    await writeFileSynced(path, `${JSON.stringify(saved, null, 2)}\n`);
  }
}
