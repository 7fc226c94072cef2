/**
 * A parameter sweep's configurations: the grid of `--grid name=v1,v2` options (every combination),
 * or `--random N` of them drawn under a seed, from the grid's values or from ranges
 * (`--grid name=low..high[:log][:int]`), and how its runs are tagged.
 */
import { randomBytes } from "node:crypto";
import { parseParamValue } from "../config/parameters.ts";
import { seededRandom } from "../pipeline/seeded-random.ts";

/** The run tag naming a run's sweep. */
export const SWEEP_TAG = "cellforge.sweep";

/** The run tag listing the parameters a sweep varies (JSON array), for the sweep page's plots. */
export const SWEEP_PARAMS_TAG = "cellforge.sweep.params";

/** A range to draw values from (`--grid name=low..high[:log][:int]`, with --random only). */
export interface SweepRange {
  low: number;
  high: number;
  /** Drawn uniformly on a log scale (for rates), else uniformly. */
  log: boolean;
  /** Whole numbers from low to high, both included. */
  int: boolean;
}

/** A swept parameter: its values, or a range to draw from. */
export interface GridAxis {
  name: string;
  values: unknown[];
  range?: SweepRange;
}

/** A bad --grid or --random option. */
export class SweepPlanError extends Error {
  readonly code = "SWEEP_PLAN";
  constructor(message: string) {
    super(message);
    this.name = "SweepPlanError";
  }
}

/** Parses `name=v1,v2,…` (values as --params reads them: JSON when they parse). */
export function parseGridOption(text: string): GridAxis {
  const equals = text.indexOf("=");
  if (equals <= 0 || equals === text.length - 1)
    throw new SweepPlanError(
      `--grid expects name=value1,value2 (e.g. --grid learning_rate=0.001,0.003), not \`${text}\`.`,
    );
  const name = text.slice(0, equals).trim();
  const range = /^\s*(-?[\d.e+-]+)\s*\.\.\s*(-?[\d.e+-]+?)\s*((?::(?:log|int))*)\s*$/.exec(text.slice(equals + 1));
  if (range !== null) return { name, values: [], range: parseRange(name, range[1]!, range[2]!, range[3]!) };
  const values = text
    .slice(equals + 1)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map(parseParamValue);
  return { name, values };
}

function parseRange(name: string, lowText: string, highText: string, flags: string): SweepRange {
  const low = Number(lowText);
  const high = Number(highText);
  const log = flags.includes(":log");
  const int = flags.includes(":int");
  const example = `e.g. --grid ${name}=0.0005..0.01:log or --grid ${name}=32..256:int`;
  if (!Number.isFinite(low) || !Number.isFinite(high) || !(low < high))
    throw new SweepPlanError(`--grid ${name}: a range is low..high with low below high (${example}).`);
  if (log && low <= 0) throw new SweepPlanError(`--grid ${name}: a :log range must be above 0 (${example}).`);
  if (int && (!Number.isInteger(low) || !Number.isInteger(high)))
    throw new SweepPlanError(`--grid ${name}: an :int range needs whole-number ends (${example}).`);
  return { low, high, log, int };
}

/** A value of `range` for a uniform draw `u` in [0, 1): 4 significant digits, so that a run's parameters read well. */
function valueIn(range: SweepRange, u: number): number {
  const { low, high, log, int } = range;
  if (int) {
    const value = log ? Math.exp(Math.log(low) + u * (Math.log(high + 1) - Math.log(low))) : low + u * (high + 1 - low);
    return Math.min(high, Math.floor(value));
  }
  const value = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
  return Number(value.toPrecision(4));
}

function checkAxes(axes: readonly GridAxis[]): void {
  const names = new Set<string>();
  for (const axis of axes) {
    if (names.has(axis.name))
      throw new SweepPlanError(`--grid names \`${axis.name}\` twice: give its values in one --grid.`);
    if (axis.range === undefined && axis.values.length === 0)
      throw new SweepPlanError(`--grid ${axis.name} lists no values: give them as ${axis.name}=value1,value2.`);
    names.add(axis.name);
  }
}

/** Every combination of the axes' values, in order (the last axis varies fastest). */
export function gridConfigurations(axes: readonly GridAxis[]): Record<string, unknown>[] {
  checkAxes(axes);
  const ranged = axes.find((axis) => axis.range !== undefined);
  if (ranged !== undefined)
    throw new SweepPlanError(
      `--grid ${ranged.name} is a range: add --random N to draw N configurations from it (a grid needs listed values).`,
    );
  let configurations: Record<string, unknown>[] = [{}];
  for (const axis of axes)
    configurations = configurations.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.name]: v })));
  return axes.length === 0 ? [] : configurations;
}

/**
 * `count` configurations drawn at random under `seed`: distinct ones of the grid (all of them when
 * it is smaller) when every axis lists its values, else each axis drawn on its own (a range
 * uniformly, on a log scale with :log; a list one of its values).
 */
export function randomConfigurations(
  axes: readonly GridAxis[],
  count: number,
  seed: number | string,
): Record<string, unknown>[] {
  const random = seededRandom(seed, "sweep");
  if (axes.some((axis) => axis.range !== undefined)) {
    checkAxes(axes);
    return Array.from({ length: count }, () =>
      Object.fromEntries(
        axes.map((axis) => [
          axis.name,
          axis.range === undefined
            ? axis.values[Math.floor(random() * axis.values.length)]
            : valueIn(axis.range, random()),
        ]),
      ),
    );
  }
  const all = gridConfigurations(axes);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all.slice(0, count);
}

/** A new sweep id: its start time and a random suffix, readable and unique enough to tag runs with. */
export function newSweepId(now = new Date()): string {
  const time = now.toISOString().slice(0, 19).replace(/[-:]/g, "").replace("T", "-");
  return `sweep-${time}-${randomBytes(2).toString("hex")}`;
}

/** A configuration as `a=1 b=2`. */
export function describeConfiguration(configuration: Readonly<Record<string, unknown>>): string {
  return Object.entries(configuration)
    .map(([k, v]) => `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

/**
 * Whether higher values of `metric` are better, told by its name as Keras' "auto" mode does, widened: losses and
 * errors are lower-is-better, accuracies, F1, AUC, precision, recall, R² and scores higher-is-better, anything else
 * lower-is-better.
 */
export function higherIsBetter(metric: string): boolean {
  const name = metric.toLowerCase();
  if (/loss|error|brier|mse|mae|mape|perplexity|deviance|regret/.test(name)) return false;
  return /acc|auc|f1|fscore|precision|recall|r2|rsquared|score|iou|dice|ndcg|kappa/.test(name);
}

/**
 * The metric a sweep is ranked by when none is chosen: the first the pipeline declares (its last node's first) that
 * the runs logged (a declared record's first entry, in the order logged), else the first of the runs' own metrics,
 * dotted ones (per-epoch `history.` series) last.
 */
export function defaultSweepMetric(declared: readonly string[], logged: readonly string[]): string | undefined {
  const have = new Set(logged);
  const sorted = [...have].sort();
  for (const name of declared) {
    if (have.has(name)) return name;
    // A declared record (`const metrics = { accuracy, loss }`) is logged as `metrics.accuracy`, `metrics.loss`.
    const entry = logged.find((m) => m.startsWith(`${name}.`));
    if (entry !== undefined) return entry;
  }
  return sorted.find((m) => !m.includes(".")) ?? sorted[0];
}
