/** One loaded model version ready to predict: its registry record, its predict function, and the TF.js memory hygiene around each call. */
import { tf } from "../tfjs/backend.ts";
import { releaseModel } from "../tfjs/inference.ts";
import type { ModelVersion } from "../registry/registry-store.ts";
import { ServedContract } from "./served-contract.ts";

/** The prediction function a pipeline's `predict.create(artifacts)` returns: rows in, one prediction per row out. */
export type PredictFunction = (rows: readonly unknown[]) => unknown;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function hasDispose(value: unknown): value is { dispose(): unknown } {
  return typeof value === "object" && value !== null && typeof (value as { dispose?: unknown }).dispose === "function";
}

/** A model version with its loaded artifacts and predict function. */
export class ServedModel {
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private disposed = false;

  constructor(
    readonly version: ModelVersion,
    private readonly predictFunction: PredictFunction,
    /** The loaded artifacts (a tf.LayersModel, a scaler…), disposed with the model; bench/invocations.ts times the LayersModel alone. */
    readonly artifacts: Readonly<Record<string, unknown>>,
    /** Where the predict code came from, relative to the project root. */
    readonly source: string,
    readonly loadedAt = new Date(),
  ) {}

  private servedContract: ServedContract | undefined;

  /** This version's HTTP contract: the validators and serializers of its request and response schemas. */
  get contract(): ServedContract {
    this.servedContract ??= new ServedContract(this.version);
    return this.servedContract;
  }

  /** Keeps the model from being disposed until the returned function is called (a request started on it, not yet answered). */
  hold(): () => void {
    this.inFlight++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.release();
    };
  }

  private release(): void {
    this.inFlight--;
    if (this.inFlight === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** "train:3". */
  get label(): string {
    return `${this.version.name}:${this.version.version}`;
  }

  /**
   * Predicts `rows`. A synchronous predict function runs inside a TF.js scope, so every tensor it
   * makes and does not `tf.keep` is released even if the notebook forgot its `tf.tidy`; an async
   * one keeps its tensors (they may be in use after its first await) and must release them itself.
   */
  async predict(rows: readonly unknown[]): Promise<unknown> {
    this.inFlight++;
    try {
      const engine = tf.engine();
      engine.startScope("cellforge.predict");
      let result: unknown;
      try {
        result = this.predictFunction(rows);
      } catch (error) {
        engine.endScope();
        throw error;
      }
      if (isThenable(result)) {
        engine.endScope([...engine.state.activeScope.track]);
        result = await result;
      } else {
        engine.endScope();
      }
      return result;
    } finally {
      this.release();
    }
  }

  /** Resolves once no predict call is running. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Releases the artifacts' memory (a LayersModel's weights); the model cannot predict afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const artifact of Object.values(this.artifacts)) {
      if (artifact instanceof tf.LayersModel) releaseModel(artifact);
      if (hasDispose(artifact)) artifact.dispose();
    }
  }
}
