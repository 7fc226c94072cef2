/**
 * Writes a big batch answer, `{"predictions": [...]}`, as a stream of slices with a turn of the event
 * loop between them: JSON.stringify of 10,000 predictions blocks for ~50 ms in one piece, during
 * which /health and small /predict requests would wait.
 */
import { Readable } from "node:stream";

/** Predictions per slice: ~2 ms of JSON.stringify for the Pokémon model's answers. */
const SLICE = 500;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `{"predictions": [...]}` for `predictions`, in one string when small, else as a stream of slices. */
export function predictionsAnswer(predictions: readonly unknown[]): string | Readable {
  if (predictions.length <= SLICE) return JSON.stringify({ predictions });
  return Readable.from(
    (async function* () {
      yield '{"predictions":[';
      for (let from = 0; from < predictions.length; from += SLICE) {
        if (from > 0) await nextTurn();
        const slice = JSON.stringify(predictions.slice(from, from + SLICE));
        yield (from > 0 ? "," : "") + slice.slice(1, -1);
      }
      yield "]}";
    })(),
    { objectMode: false },
  );
}
