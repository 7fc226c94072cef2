/**
 * Deterministic Math.random while a pipeline runs with a `seed` parameter: each node draws from
 * its own stream (seeded by the seed and the node's name), so overlapping nodes cannot change
 * each other's numbers. TF.js initialisers, shuffling and dropout without an explicit seed all
 * draw from Math.random, so two runs with the same seed train the same model.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";

/** sfc32: a small, fast, well-distributed PRNG with 128 bits of state. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** A PRNG seeded by `seed` and `stream` (e.g. a node name). */
export function seededRandom(seed: number | string, stream: string): () => number {
  const bytes = createHash("sha256").update(`${seed}\0${stream}`).digest();
  return sfc32(bytes.readUInt32LE(0), bytes.readUInt32LE(4), bytes.readUInt32LE(8), bytes.readUInt32LE(12));
}

const streams = new AsyncLocalStorage<() => number>();

/** Runs `fn` with Math.random drawing from the stream `name` of `seed`. */
export function withSeededStream<T>(seed: number | string, name: string, fn: () => T): T {
  return streams.run(seededRandom(seed, name), fn);
}

/** Replaces Math.random for the duration of `fn`: node streams inside withSeededStream, a "pipeline" stream elsewhere. */
export async function withSeededMathRandom<T>(seed: number | string, fn: () => Promise<T>): Promise<T> {
  const original = Math.random;
  const fallback = seededRandom(seed, "\0pipeline");
  Math.random = () => (streams.getStore() ?? fallback)();
  try {
    return await fn();
  } finally {
    Math.random = original;
  }
}
