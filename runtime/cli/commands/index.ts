/** Every `cellforge` sub-command, in the order `cellforge --help` lists them. */
import type { Command } from "../command.ts";
import models from "./models.ts";
import nb from "./nb.ts";
import { pending } from "./pending.ts";
import run from "./run.ts";
import runs from "./runs.ts";
import serve from "./serve.ts";

const all: Command[] = [
  pending("start", "extract, train, register and serve the example project in one go"),
  run,
  serve,
  nb,
  runs,
  models,
  pending("ui", "open the web UI for runs and models"),
];

export default all;
