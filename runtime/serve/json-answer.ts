/**
 * Writes a batch answer, `{"predictions": [...]}`, as JSON bytes (json-bytes.ts) while it is being predicted: the
 * batcher hands over each run of predictions as soon as its predict call returns (`predicted`), so with the model on
 * its own thread the answer is written while the model computes the next rows, and what is left at the end is the
 * last batch's few hundred. What was not written by then (or all of it, without `predicted`) is written in slices with
 * a turn of the event loop between them: writing 10,000 predictions takes ~40 ms in one piece, during which /health
 * and small /predict requests would wait.
 */
import type { PredictedRows } from "./batcher.ts";
import { JsonBytes } from "./json-bytes.ts";
import { nextTurn } from "./next-turn.ts";

/** Predictions per slice: ~2 ms of writing for the Pokémon model's answers. */
const SLICE = 500;

/** One request's `{"predictions": [...]}`, written as its predictions come; the buffer is sized from the first one's length. */
export class PredictionsAnswer {
  private readonly out = new JsonBytes();
  /** Predictions written so far (the first `written` of the request's). */
  private written = 0;

  constructor() {
    this.out.ascii('{"predictions":[');
  }

  /** For `Batcher.submit`: writes rows `from`…`to` - 1 now when they follow those written (else `finish` will). */
  readonly predicted: PredictedRows = (results, from, to) => {
    if (from !== this.written) return false;
    this.write(results, to);
    return true;
  };

  private write(predictions: readonly unknown[], to: number): void {
    const out = this.out;
    for (let i = this.written; i < to; i++) {
      if (i > 0) out.ascii(",");
      out.value(predictions[i]);
      if (i === 0) out.reserve(Math.ceil(out.size * 1.2) * predictions.length);
    }
    this.written = to;
  }

  /** The answer's bytes once all `predictions` are in (those written already may have been let go): those not written yet, in slices, then the closing brackets. */
  async finish(predictions: readonly unknown[]): Promise<Buffer> {
    while (this.written < predictions.length) {
      if (this.written > 0) await nextTurn();
      this.write(predictions, Math.min(predictions.length, this.written + SLICE));
    }
    this.out.ascii("]}");
    return this.out.bytes();
  }
}

/** `{"predictions": [...]}` for `predictions`, written in slices. */
export function predictionsAnswer(predictions: readonly unknown[]): Promise<Buffer> {
  return new PredictionsAnswer().finish(predictions);
}
