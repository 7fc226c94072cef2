#!/usr/bin/env node
// Entry of the `extract` command: runs the CLI from the extractor's compiled build (bin/build.js), or from its
// TypeScript sources through tsx when no build can be had.
import { compiledMain } from "./build.js";

let main = await compiledMain();
if (main === undefined) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
