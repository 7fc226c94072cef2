/** The model the server answers with right now, swapped atomically on reload: new requests go to the new model, the old one is disposed once its calls finish. */
import { NotReadyError } from "./errors.ts";
import type { ServedModel } from "./served-model.ts";

/** Holds the current model. */
export class ModelSlot {
  private current: ServedModel | undefined;

  /** The model being served, if one is loaded. */
  get model(): ServedModel | undefined {
    return this.current;
  }

  /** Predicts with the current model. */
  predict(rows: readonly unknown[]): Promise<unknown> {
    const model = this.current;
    if (model === undefined)
      return Promise.reject(new NotReadyError("The model is still loading; retry once GET /ready answers 200."));
    return model.predict(rows);
  }

  /** Serves `next` from now on; resolves with the previous model once its in-flight calls are done and it is disposed. */
  async swap(next: ServedModel): Promise<ServedModel | undefined> {
    const previous = this.current;
    this.current = next;
    if (previous !== undefined && previous !== next) {
      await previous.idle();
      previous.dispose();
    }
    return previous;
  }

  /** Stops serving; disposes the model once its in-flight calls are done. */
  async clear(): Promise<void> {
    const previous = this.current;
    this.current = undefined;
    if (previous !== undefined) {
      await previous.idle();
      previous.dispose();
    }
  }
}
