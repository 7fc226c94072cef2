#!/usr/bin/env node
// Entry of the `extract` command: runs the CLI from the extractor's compiled build (bin/build.js), or from its
// TypeScript sources through tsx when no build can be had.
import { setFlagsFromString } from "node:v8";
import { compiledMain } from "./build.js";

// An extraction is two seconds of the TypeScript compiler, and with V8's default tiering TurboFan spends as much CPU
// again on other threads optimizing it, mostly code that then runs only a little longer. An 8 times larger interrupt
// budget leaves TurboFan the hottest functions: on train.ipynb (Node 20) about 1.3 s less CPU a run for under 0.1 s
// more on the main thread, which on a busy 2-core machine is ~1 s less waiting. Tiering only; the code is the same.
setFlagsFromString("--interrupt-budget=540672");

let main = await compiledMain();
if (main === undefined) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
