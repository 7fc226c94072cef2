#!/usr/bin/env -S node --max-semi-space-size=32
// Entry of the `cellforge` command: load TypeScript sources through tsx, then run the CLI.
// A young generation of 2 × 32 MB instead of Node's 2 × 16 MB: scoring a big or streamed batch
// keeps each block's rows and predictions alive across a few model calls; in a smaller young
// generation they outlive two scavenges and are promoted, and the old generation then grows by
// hundreds of MB of garbage before a full collection (bench/invocations.ts: a 1M-row CSV stream
// grew the server's RSS by 330 MB with Node's default, 31 MB with this). V8 reads the flag at
// start-up only, hence the shebang; --workers processes inherit it.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
