/**
 * Writes a batch answer, `{"predictions": [...]}`, as JSON bytes (json-bytes.ts) in slices with a turn of the event
 * loop between them: writing 10,000 predictions takes ~40 ms in one piece, during which /health and small /predict
 * requests would wait.
 */
import { JsonBytes } from "./json-bytes.ts";

/** Predictions per slice: ~2 ms of writing for the Pokémon model's answers. */
const SLICE = 500;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** `{"predictions": [...]}` for `predictions`, written in slices; the buffer is sized from the first prediction's length. */
export async function predictionsAnswer(predictions: readonly unknown[]): Promise<Buffer> {
  const out = new JsonBytes();
  out.ascii('{"predictions":[');
  for (let i = 0; i < predictions.length; i++) {
    if (i > 0) out.ascii(",");
    out.value(predictions[i]);
    if (i === 0) out.reserve(Math.ceil(out.size * 1.2) * predictions.length);
    else if (i % SLICE === 0) await nextTurn();
  }
  out.ascii("]}");
  return out.bytes();
}
