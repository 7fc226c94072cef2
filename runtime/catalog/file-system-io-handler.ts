/**
 * A TF.js IOHandler for a folder on disk (model.json + weights.bin), since tfjs-node's
 * `file://` scheme is not there on the WASM and CPU backends.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { io } from "@tensorflow/tfjs";
import { writeFileSynced } from "./atomic-write.ts";

const MODEL_FILE = "model.json";
const WEIGHTS_FILE = "weights.bin";

/** The TF.js io helpers the handler needs, passed in so this module does not load TF.js itself. */
export interface TfIo {
  getModelArtifactsInfoForJSON: typeof io.getModelArtifactsInfoForJSON;
  getModelArtifactsForJSON: typeof io.getModelArtifactsForJSON;
  getWeightSpecs: typeof io.getWeightSpecs;
  CompositeArrayBuffer: typeof io.CompositeArrayBuffer;
}

function weightBytes(tfIo: TfIo, data: io.WeightData | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  return new Uint8Array(tfIo.CompositeArrayBuffer.join(data));
}

/** An IOHandler that saves a model into `folder` and loads it back from there. */
export function fileSystemHandler(tfIo: TfIo, folder: string): io.IOHandler {
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new TypeError("binary model topologies are not supported; save a tf.LayersModel");
      }
      await mkdir(folder, { recursive: true });
      const weights = weightBytes(tfIo, artifacts.weightData);
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
      };
      if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature !== undefined) modelJson.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata !== undefined) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await writeFileSynced(join(folder, WEIGHTS_FILE), weights);
      await writeFileSynced(join(folder, MODEL_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tfIo.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<io.ModelArtifacts> {
      const modelJson = JSON.parse(await readFile(join(folder, MODEL_FILE), "utf8")) as io.ModelJSON;
      return tfIo.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const buffers = await Promise.all(
          manifest
            .flatMap((group) => group.paths)
            .map(async (path) => {
              const bytes = await readFile(join(folder, path));
              return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
            }),
        );
        return [tfIo.getWeightSpecs(manifest), tfIo.CompositeArrayBuffer.join(buffers)];
      });
    },
  };
}
