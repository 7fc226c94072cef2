// The TypeScript compiler API, loaded on first use: importing it costs about a second, which only the few commands
// that parse cell source (`cellforge nb run -p`) should pay.
import { createRequire } from "node:module";
import type * as TypeScript from "typescript";

let loaded: typeof TypeScript | undefined;

/** The `typescript` module (the project's ~5.9), required synchronously the first time it is needed. */
export function typescript(): typeof TypeScript {
  loaded ??= createRequire(import.meta.url)("typescript") as typeof TypeScript;
  return loaded;
}
