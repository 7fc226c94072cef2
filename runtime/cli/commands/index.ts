/** Every `cellforge` sub-command, in the order `cellforge --help` lists them. */
import type { Command } from "../command.ts";
import nb from "./nb.ts";
import { pending } from "./pending.ts";

const all: Command[] = [
  pending("start", "extract, train, register and serve the example project in one go"),
  pending("run", "run a pipeline against the data catalog and track the run"),
  pending("serve", "serve a registered model over HTTP"),
  nb,
  pending("runs", "list, show and compare tracked runs"),
  pending("models", "list, show and promote registered model versions"),
  pending("ui", "open the web UI for runs and models"),
];

export default all;
