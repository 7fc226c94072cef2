// conf/<env>/serving.yml over conf/base/serving.yml over the defaults: what `cellforge serve` runs with.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_SERVING_SETTINGS, loadServingSettings } from "../../../runtime/serve/serving-config.ts";

const roots: string[] = [];

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "cellforge-serving-"));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("serving settings", () => {
  it("runs the model on its own thread unless serving.yml says model_thread: false, the environment's file last", () => {
    expect(DEFAULT_SERVING_SETTINGS.modelThread).toBe(true);
    const root = project({
      "conf/base/serving.yml": "model_thread: false\nmax_batch_size: 64\n",
      "conf/local/serving.yml": "model_thread: true\nmax_batch_size_alone: 1024\n",
    });
    expect(loadServingSettings(root, "base")).toMatchObject({
      modelThread: false,
      maxBatchSize: 64,
      maxBatchSizeAlone: 512,
    });
    expect(loadServingSettings(root, "local")).toMatchObject({
      modelThread: true,
      maxBatchSize: 64,
      maxBatchSizeAlone: 1024,
    });
  });

  it("refuses a model_thread that is not true or false, and an unknown key, saying what is allowed", () => {
    const root = project({ "conf/base/serving.yml": "model_thread: yes please\n" });
    expect(() => loadServingSettings(root, "base")).toThrow(
      'serving.yml: `model_thread` must be true or false, not "yes please".',
    );
    const typo = project({ "conf/base/serving.yml": "model_threads: false\n" });
    expect(() => loadServingSettings(typo, "base")).toThrow(/unknown key `model_threads`; known: .*model_thread/);
  });
});
