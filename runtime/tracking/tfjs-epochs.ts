/**
 * Captures per-epoch TF.js training metrics without touching model code: a callback registered
 * with tf.registerCallbackConstructor joins every model.fit, and under a run logs each epoch's
 * loss/metrics (step = epoch) and prints a one-line progress. Epochs count across the fits of one
 * node, since notebooks often call fit once per epoch in their own loop (to reshuffle, say).
 */
import * as tf from "@tensorflow/tfjs";
import { currentRunScope } from "./context.ts";

type Logs = Record<string, number | tf.Tensor>;

/** Turns the epoch's log values (numbers or scalar tensors) into numbers, disposing the tensors as TF.js's own callbacks do. */
async function resolveLogs(logs: Logs | undefined): Promise<Record<string, number>> {
  const resolved: Record<string, number> = {};
  for (const [name, value] of Object.entries(logs ?? {})) {
    if (typeof value === "number") {
      resolved[name] = value;
    } else {
      resolved[name] = (await value.data())[0] ?? Number.NaN;
      logs![name] = resolved[name];
      value.dispose();
    }
  }
  return resolved;
}

function format(value: number): string {
  return Math.abs(value) >= 1000 || (value !== 0 && Math.abs(value) < 0.001)
    ? value.toExponential(3)
    : value.toFixed(4);
}

/** Epochs already trained by earlier fits of the same running node, by its scope. */
const epochsDone = new WeakMap<object, number>();

class EpochMetrics extends tf.Callback {
  private startedAt = 0;
  /** Epochs of earlier fits in this node: this fit's steps continue from there. */
  private offset = 0;
  private seen = 0;

  override async onTrainBegin(): Promise<void> {
    const scope = currentRunScope();
    this.offset = scope === undefined ? 0 : (epochsDone.get(scope) ?? 0);
    this.seen = 0;
  }

  override async onEpochBegin(): Promise<void> {
    this.startedAt = performance.now();
  }

  override async onEpochEnd(_epoch: number, logs?: Logs): Promise<void> {
    const scope = currentRunScope();
    if (scope === undefined) return;
    const step = this.offset + this.seen++;
    epochsDone.set(scope, step + 1);
    const values = await resolveLogs(logs);
    for (const [name, value] of Object.entries(values)) scope.logMetric(name, value, step);
    const epochs = typeof this.params["epochs"] === "number" ? this.params["epochs"] : 1;
    // "epoch 3/20" within one long fit; just "epoch 3" when the notebook fits epoch by epoch.
    const counter =
      this.offset === 0 && epochs > 1
        ? `${String(step + 1).padStart(String(epochs).length)}/${epochs}`
        : String(step + 1);
    // Training metrics first, then validation ones, whatever order TF.js logged them in.
    const ordered = Object.entries(values).sort(
      ([a], [b]) => Number(a.startsWith("val_")) - Number(b.startsWith("val_")),
    );
    const metrics = ordered.map(([name, value]) => `${name} ${format(value)}`).join("  ");
    scope.progress(`epoch ${counter}  ${metrics}  ${Math.round(performance.now() - this.startedAt)} ms`);
  }
}

const key = Symbol.for("cellforge.tracking.tfjsEpochs");
const holder = globalThis as unknown as Record<symbol, boolean | undefined>;

/** Makes every later model.fit report its epochs to the active run; safe to call more than once. */
export function captureTrainingMetrics(): void {
  if (holder[key] === true) return;
  // Level 0: joins fits at every verbosity, including verbose: 0.
  tf.registerCallbackConstructor(0, EpochMetrics);
  holder[key] = true;
}
