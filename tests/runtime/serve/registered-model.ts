/**
 * A temp project with the fixture `train` pipeline (a tiny TF.js classifier of 2-D points, trained
 * on WASM in a few epochs) run and registered through the runtime: the real model the serving
 * tests serve. `versions: 2` registers a second version trained for more epochs.
 */
import { createProject, type FixtureProject } from "../fixture-project.ts";
import { runSession } from "../../../runtime/session/run-session.ts";

/** The fixture model's one request record. */
export interface Point {
  x1: number;
  x2: number;
}

/** Creates the project and registers `versions` versions of `train`. */
export async function registeredProject(versions: 1 | 2 = 1): Promise<FixtureProject> {
  process.env["CELLFORGE_TF_BACKEND"] = "wasm";
  const project = createProject(["train"]);
  await runSession({ cwd: project.root, pipeline: "train", write: () => undefined });
  if (versions === 2)
    await runSession({
      cwd: project.root,
      pipeline: "train",
      params: [{ path: ["epochs"], value: 8 }],
      write: () => undefined,
    });
  return project;
}

/** A Prometheus text exposition, parsed strictly: every line must be a comment or a sample of a declared family. */
export interface Exposition {
  types: Map<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

/** Parses the Prometheus text format (version 0.0.4); throws on any malformed line. */
export function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const samples: Exposition["samples"] = [];
  for (const line of text.split("\n")) {
    if (line === "") continue;
    if (line.startsWith("# TYPE ")) {
      const [, name, type] = line.split(" ").slice(1);
      if (name === undefined || !["counter", "gauge", "histogram", "summary", "untyped"].includes(type ?? ""))
        throw new Error(`bad TYPE line: ${line}`);
      types.set(name, type!);
      continue;
    }
    if (line.startsWith("# HELP ") || line.startsWith("#")) continue;
    const match = SAMPLE.exec(line);
    if (match === null) throw new Error(`bad sample line: ${line}`);
    const [, name, labelText, valueText] = match as unknown as [string, string, string | undefined, string];
    const labels: Record<string, string> = {};
    if (labelText !== undefined && labelText !== "") {
      LABEL.lastIndex = 0;
      let consumed = 0;
      for (let m = LABEL.exec(labelText); m !== null; m = LABEL.exec(labelText)) {
        labels[m[1]!] = m[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
        consumed = LABEL.lastIndex;
      }
      if (consumed !== labelText.length) throw new Error(`bad labels: ${line}`);
    }
    const value = valueText === "+Inf" ? Infinity : valueText === "-Inf" ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText !== "NaN") throw new Error(`bad value: ${line}`);
    const family = name.replace(/_(bucket|sum|count|total|created)$/, "");
    if (!types.has(name) && !types.has(family)) throw new Error(`sample of an undeclared family: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

/** The value of one sample (summed over samples that match `labels`). */
export function sampleValue(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return exposition.samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
