import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tf, useFastestBackend } from "../../../runtime/tfjs/backend.ts";

const run = promisify(execFile);

/**
 * Whether the real @tensorflow/tfjs-node is installed where the runtime imports it from (README suggests installing
 * it), told by its package.json: the alias danfojs-node gets (package.json overrides) is @tensorflow/tfjs by name.
 */
function tfjsNodeInstalled(): boolean {
  try {
    const manifest = createRequire(new URL("../../../runtime/tfjs/backend.ts", import.meta.url)).resolve(
      "@tensorflow/tfjs-node/package.json",
    );
    return (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "@tensorflow/tfjs-node";
  } catch {
    return false;
  }
}

const native = tfjsNodeInstalled();

/** Runs a one-off script in a fresh process, since a backend is chosen once per process. */
async function backendIn(env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
  const script = `import { useFastestBackend } from "./runtime/tfjs/backend.ts";
try { const r = await useFastestBackend(); console.log(r.name); } catch (e) { console.error(e.message); process.exitCode = 3; }`;
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, ...env },
    });
    return { stdout: stdout.trim(), stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout.trim(), stderr: e.stderr, code: e.code };
  }
}

describe("useFastestBackend", () => {
  it(`trains a tiny model on ${native ? "the native tfjs-node, installed here" : "WASM with SIMD (no native tfjs-node here)"}`, async () => {
    const backend = await useFastestBackend();
    if (native) {
      expect(backend.name).toBe("tensorflow");
      expect(backend.description).toBe("tensorflow (native tfjs-node)");
      expect(tf.getBackend()).toBe("tensorflow");
    } else {
      expect(backend.name).toBe("wasm");
      expect(backend.simd).toBe(true);
      expect(tf.getBackend()).toBe("wasm");
    }

    // y = 2x - 1, learnt by a single dense unit with a seeded initialiser.
    const model = tf.sequential();
    model.add(
      tf.layers.dense({ units: 1, inputShape: [1], kernelInitializer: tf.initializers.glorotUniform({ seed: 7 }) }),
    );
    model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
    const xs = tf.tensor2d([-1, 0, 1, 2, 3, 4], [6, 1]);
    const ys = tf.tensor2d([-3, -1, 1, 3, 5, 7], [6, 1]);
    const history = await model.fit(xs, ys, { epochs: 200, verbose: 0, shuffle: false });
    const losses = history.history["loss"] as number[];
    expect(losses.at(-1)).toBeLessThan(losses[0]! / 100);
    const prediction = model.predict(tf.tensor2d([10], [1, 1])) as tf.Tensor;
    expect((await prediction.data())[0]).toBeCloseTo(19, 0);
    tf.dispose([xs, ys, prediction]);
    model.dispose();
  });

  it("is chosen once per process", async () => {
    expect(await useFastestBackend()).toBe(await useFastestBackend());
  });

  it("honours CELLFORGE_TF_BACKEND=cpu", async () => {
    const { stdout, code } = await backendIn({ CELLFORGE_TF_BACKEND: "cpu" });
    expect(code).toBe(0);
    expect(stdout).toBe("cpu");
  });

  it.runIf(native)("uses tfjs-node when CELLFORGE_TF_BACKEND=tensorflow asks for it", async () => {
    const { stdout, code } = await backendIn({ CELLFORGE_TF_BACKEND: "tensorflow" });
    expect(code).toBe(0);
    expect(stdout).toBe("tensorflow");
  });

  it.skipIf(native)("says how to get tfjs-node when it is asked for but only the alias is installed", async () => {
    const { stderr, code } = await backendIn({ CELLFORGE_TF_BACKEND: "tensorflow" });
    expect(code).toBe(3);
    expect(stderr).toContain("npm install @tensorflow/tfjs-node");
  });

  it("leaves a later crash to Node: the error and the line that threw, not the WASM module's minified source", async () => {
    const script = `import { useFastestBackend } from "./runtime/tfjs/backend.ts";
await useFastestBackend();
setTimeout(() => { throw new Error("a bug after the backend started"); }, 1);`;
    const crash = await run(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm" },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect("code" in crash ? crash.code : 0).toBe(1);
    expect(crash.stderr).toContain("Error: a bug after the backend started");
    expect(crash.stderr).not.toContain("WasmBackendModule");
    expect(crash.stderr.length).toBeLessThan(5000);
  });

  it("rejects an unknown backend name, listing the valid ones", async () => {
    const { stderr, code } = await backendIn({ CELLFORGE_TF_BACKEND: "gpu" });
    expect(code).toBe(3);
    expect(stderr).toContain("tensorflow, wasm, cpu");
  });
});
