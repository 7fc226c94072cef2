/** Every `cellforge` sub-command, in the order `cellforge --help` lists them. */
import type { Command } from "../command.ts";
import models from "./models.ts";
import nb from "./nb.ts";
import run from "./run.ts";
import runs from "./runs.ts";
import serve from "./serve.ts";
import start from "./start.ts";
import sweep from "./sweep.ts";
import tracking from "./tracking.ts";
import ui from "./ui.ts";
import worker from "./worker.ts";

const all: Command[] = [start, run, sweep, serve, nb, runs, models, tracking, ui, worker];

export default all;
