/**
 * A parameter sweep's configurations: the grid of `--grid name=v1,v2` options (every combination),
 * or `--random N` of them drawn without repetition under a seed, and how its runs are tagged.
 */
import { randomBytes } from "node:crypto";
import { parseParamValue } from "../config/parameters.ts";
import { seededRandom } from "../pipeline/seeded-random.ts";

/** The run tag naming a run's sweep. */
export const SWEEP_TAG = "cellforge.sweep";

/** The run tag listing the parameters a sweep varies (JSON array), for the sweep page's plots. */
export const SWEEP_PARAMS_TAG = "cellforge.sweep.params";

/** A swept parameter and its values. */
export interface GridAxis {
  name: string;
  values: unknown[];
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
  const values = text
    .slice(equals + 1)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "")
    .map(parseParamValue);
  return { name, values };
}

/** Every combination of the axes' values, in order (the last axis varies fastest). */
export function gridConfigurations(axes: readonly GridAxis[]): Record<string, unknown>[] {
  const names = new Set<string>();
  for (const axis of axes) {
    if (names.has(axis.name))
      throw new SweepPlanError(`--grid names \`${axis.name}\` twice: give its values in one --grid.`);
    names.add(axis.name);
  }
  let configurations: Record<string, unknown>[] = [{}];
  for (const axis of axes)
    configurations = configurations.flatMap((c) => axis.values.map((v) => ({ ...c, [axis.name]: v })));
  return axes.length === 0 ? [] : configurations;
}

/** `count` distinct configurations of the grid drawn at random under `seed` (all of them when the grid is smaller). */
export function randomConfigurations(
  axes: readonly GridAxis[],
  count: number,
  seed: number | string,
): Record<string, unknown>[] {
  const all = gridConfigurations(axes);
  const random = seededRandom(seed, "sweep");
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
