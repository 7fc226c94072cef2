/**
 * Deterministic Math.random for the nodes of a run with a `seed` parameter: each node draws from
 * its own stream (seeded by the seed and the node's name), so overlapping nodes cannot change each
 * other's numbers, and a node executed in another process draws the same numbers. TF.js
 * initialisers, shuffling and dropout without an explicit seed all draw from Math.random (TF.js has
 * no seed of its own to set), so two runs with the same seed train the same model.
 *
 * Math.random is replaced only while a seeded node runs, and then only inside that node's async
 * context: anything else in the process (another run's unseeded node, a server) keeps the real one.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createHash } from "node:crypto";

/** sfc32: a small, fast, well-distributed PRNG with 128 bits of state. */
function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    a |= 0;
    b |= 0;
    c |= 0;
    d |= 0;
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
/** The real Math.random while seeded nodes run, and how many do. */
let original: (() => number) | undefined;
let seededNodes = 0;

/** Runs `fn` with Math.random drawing from the stream `name` of `seed` inside it; the real Math.random comes back when no seeded node runs. */
export async function withSeededStream<T>(seed: number | string, name: string, fn: () => T | Promise<T>): Promise<T> {
  if (seededNodes++ === 0) {
    const real = Math.random;
    original = real;
    Math.random = () => (streams.getStore() ?? real)();
  }
  try {
    return await streams.run(seededRandom(seed, name), fn);
  } finally {
    if (--seededNodes === 0 && original !== undefined) {
      Math.random = original;
      original = undefined;
    }
  }
}
