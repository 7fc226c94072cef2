/**
 * Serving figures: requests/s, p50 and p99 of POST /predict against POST /echo (the same request
 * schema and validation, no model) at 50 connections, measured in the same run, and their ratio
 * (and the server process's CPU time per request, from its /metrics, and that ratio), with one
 * record repeated and with 200 different Pokémon;
 * the same for /predict without micro-batching (max_batch_size 1, the naive one-call-per-request
 * route) as the baseline the batcher is measured against; and rows/s through POST /invocations
 * with 1,000- and 10,000-row batches (and 10,000 rows as text/csv). Run with `npx tsx bench/serve.ts [--seconds N] [--rounds N] [--fixture]`.
 *
 * The model: the project's registered `train` (run `npx cellforge run train` first), else (or with
 * --fixture) the fixture classifier of tests/fixtures/pipelines/train trained in a temp project. The server runs
 * in a child process, so autocannon does not share its event loop.
 */
import { fork, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { JsonSchema } from "../runtime/pipeline/definition.ts";
import { openProjectRegistry } from "../runtime/stores/project-stores.ts";
import { exampleFor } from "../runtime/serve/example-record.ts";
import { parseServedReference, resolveServedVersion } from "../runtime/serve/served-reference.ts";
import type { ServingSettings } from "../runtime/serve/serving-config.ts";
import { csvRecords } from "./pokemon-rows.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The slice of autocannon's programmatic API and result the benches use (autocannon ships no types). */
export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}
/** One request of a sequence each connection cycles through. */
export interface AutocannonRequest {
  method: "POST" | "GET";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  method?: "POST" | "GET";
  headers?: Record<string, string>;
  body?: string;
  requests?: AutocannonRequest[];
  /** Worker threads to run the connections on (0: this thread's event loop). */
  workers?: number;
}) => Promise<AutocannonResult>;
/** autocannon's programmatic entry point. */
export const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** A registered model to bench: the project it lives in and a request record for it. */
export interface BenchModel {
  cwd: string;
  reference: string;
  label: string;
  row: Record<string, unknown>;
  /** Different records from the project's Pokémon CSV, when the model takes its columns (else empty). */
  rows: Record<string, unknown>[];
  /** Removes a temp project, if one was made. */
  cleanup(): void;
}

/** Realistic rows for the models this repository knows; any other model gets one made from its schema. */
const KNOWN_ROWS: Record<string, unknown>[] = [
  // Bulbasaur, as data/01_raw/pokemon.csv has it.
  {
    hp: 45,
    attack: 49,
    defense: 49,
    sp_attack: 65,
    sp_defense: 65,
    speed: 45,
    height_m: 0.7,
    weight_kg: 6.9,
    abilities: ["Overgrow", "Chlorophyll"],
    percentage_male: 87.5,
    generation: 1,
  },
  { x1: 0.4, x2: -0.3 },
];

function rowFor(schema: JsonSchema): Record<string, unknown> {
  const fields = Object.keys(schema["properties"] ?? {})
    .sort()
    .join(",");
  return (
    KNOWN_ROWS.find((row) => Object.keys(row).sort().join(",") === fields) ??
    (exampleFor(schema) as Record<string, unknown>)
  );
}

/** The project's registered `train` model (unless `fixture`), else the fixture model trained in a temp project. */
export async function benchModel(fixture = false): Promise<BenchModel> {
  if (!fixture && existsSync(join(repo, "pipelines/train/pipeline.ts"))) {
    const opened = await openProjectRegistry({ cwd: repo });
    try {
      if ((await opened.registry.listModels()).some((m) => m.name === "train")) {
        const version = await resolveServedVersion(opened.registry, parseServedReference("train"));
        return {
          cwd: repo,
          reference: "train",
          label: `the project's train model (version ${version.version}, Pokémon type and legendary status)`,
          row: rowFor(version.inputSchema),
          rows: csvRecords(join(repo, "data/01_raw/pokemon.csv"), version.inputSchema, 200),
          cleanup: () => undefined,
        };
      }
    } finally {
      await opened.close();
    }
  }
  const { createProject } = await import("../tests/runtime/fixture-project.ts");
  const { runSession } = await import("../runtime/session/run-session.ts");
  process.env["CELLFORGE_TF_BACKEND"] ??= "wasm";
  const project = createProject(["train"]);
  await runSession({ cwd: project.root, pipeline: "train", write: () => undefined });
  const why = fixture ? "--fixture" : "no registered train model in this project yet";
  return {
    cwd: project.root,
    reference: "train",
    label: `the fixture classifier of tests/fixtures/pipelines/train, 2→8→2 (${why})`,
    row: KNOWN_ROWS[1]!,
    rows: [],
    cleanup: () => project.remove(),
  };
}

/** What the server child is started with. */
interface ChildOptions {
  cwd: string;
  reference: string;
  settings: Partial<ServingSettings>;
}

/** A server running in a child process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `startModelServer` (with the echo route) in a child process on a free loopback port. */
export function startServerProcess(options: ChildOptions): Promise<ServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), ["--child", JSON.stringify(options)], {
    // The V8 flag `cellforge` runs with (runtime/bin/cellforge.js), so the figures are the command's.
    execArgv: ["--import", "tsx", "--max-semi-space-size=32"],
    env: { ...process.env, CELLFORGE_TF_BACKEND: process.env["CELLFORGE_TF_BACKEND"] ?? "wasm" },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  return new Promise((resolveStart, reject) => {
    child.once("exit", (code) => reject(new Error(`the server process exited (code ${code}) before it was ready`)));
    child.once("message", (message) => {
      const url = (message as { url?: unknown }).url;
      if (typeof url !== "string")
        return reject(new Error(`unexpected message from the server process: ${JSON.stringify(message)}`));
      child.removeAllListeners("exit");
      resolveStart({
        url,
        child,
        stop: () =>
          new Promise((done) => {
            child.once("exit", () => done());
            child.kill("SIGTERM");
          }),
      });
    });
  });
}

async function runChild(options: ChildOptions): Promise<void> {
  const { startModelServer } = await import("../runtime/serve/model-server.ts");
  const server = await startModelServer({
    cwd: options.cwd,
    reference: options.reference,
    echo: true,
    settings: { port: 0, host: "127.0.0.1", ...options.settings },
  });
  process.once("SIGTERM", () => void server.close().then(() => process.disconnect()));
  process.send?.({ url: server.url });
}

/** One autocannon run of `path` with `body`. */
export function hammer(
  url: string,
  path: string,
  body: unknown,
  connections: number,
  seconds: number,
): Promise<AutocannonResult> {
  return autocannon({
    url: `${url}${path}`,
    connections,
    duration: seconds,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** One autocannon run of `path`, each connection sending `bodies` in turn. */
function hammerEach(
  url: string,
  path: string,
  bodies: readonly unknown[],
  connections: number,
  seconds: number,
): Promise<AutocannonResult> {
  if (bodies.length === 1) return hammer(url, path, bodies[0], connections, seconds);
  const headers = { "content-type": "application/json" };
  return autocannon({
    url,
    connections,
    duration: seconds,
    requests: bodies.map((body) => ({ method: "POST", path, headers, body: JSON.stringify(body) })),
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The server process's CPU time so far (user + system, s), from its /metrics. */
async function serverCpuSeconds(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^process_cpu_seconds_total (\S+)$/m.exec(text);
  if (match === null) throw new Error(`${url}/metrics has no process_cpu_seconds_total`);
  return Number(match[1]);
}

/** One run, with the server's CPU time per answered request (µs). */
async function measuredRun(
  url: string,
  path: string,
  bodies: readonly unknown[],
  connections: number,
  seconds: number,
): Promise<{ result: AutocannonResult; cpuMicros: number }> {
  const before = await serverCpuSeconds(url);
  const result = await hammerEach(url, path, bodies, connections, seconds);
  const cpu = (await serverCpuSeconds(url)) - before;
  return { result, cpuMicros: (cpu * 1e6) / Math.max(1, result.requests.total) };
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU per request, µs. */
  cpu: number;
  failures: number;
}

/** Each route's median round, and predict/echo per round (each from back-to-back runs), in req/s and in server CPU per request. */
interface Comparison {
  figures: Record<"echo" | "predict", Figures>;
  ratios: number[];
  cpuRatios: number[];
}

/**
 * Alternates echo and predict `rounds` times and keeps each route's median round. This VM's speed
 * drifts by ~30% from minute to minute, so the ratio is taken within each round (two runs seconds
 * apart) and its median and range reported, rather than a ratio of medians from different minutes.
 */
async function compare(
  url: string,
  bodies: readonly unknown[],
  connections: number,
  seconds: number,
  rounds: number,
): Promise<Comparison> {
  const runs: Record<"echo" | "predict", { result: AutocannonResult; cpuMicros: number }[]> = { echo: [], predict: [] };
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const echo = await measuredRun(url, "/echo", bodies, connections, seconds);
    const predict = await measuredRun(url, "/predict", bodies, connections, seconds);
    runs.echo.push(echo);
    runs.predict.push(predict);
    ratios.push(predict.result.requests.average / echo.result.requests.average);
    cpuRatios.push(echo.cpuMicros / predict.cpuMicros);
  }
  const summary = (measured: { result: AutocannonResult; cpuMicros: number }[]): Figures => {
    const results = measured.map((m) => m.result);
    return {
      rps: median(results.map((r) => r.requests.average)),
      p50: median(results.map((r) => r.latency.p50)),
      p99: median(results.map((r) => r.latency.p99)),
      cpu: median(measured.map((m) => m.cpuMicros)),
      failures: results.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
    };
  };
  return { figures: { echo: summary(runs.echo), predict: summary(runs.predict) }, ratios, cpuRatios };
}

/** `rows` copies of `row` as a CSV table with a header, lists written as pandas writes them. */
function csvTable(row: Record<string, unknown>, rows: number): string {
  const cell = (value: unknown): string => {
    if (value === null) return "";
    if (Array.isArray(value))
      return `"[${value.map((v) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v))).join(", ")}]"`;
    return typeof value === "string" ? value : JSON.stringify(value);
  };
  const line = Object.values(row).map(cell).join(",");
  return [Object.keys(row).join(","), ...Array.from({ length: rows }, () => line)].join("\n") + "\n";
}

const pad = (text: string, width: number): string => text.padEnd(width);
const num = (value: number, digits = 0): string =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const option = (name: string, fallback: number): number => {
    const at = process.argv.indexOf(name);
    return at >= 0 ? Number(process.argv[at + 1]) : fallback;
  };
  const seconds = option("--seconds", 5);
  const rounds = option("--rounds", 5);
  if (!(seconds > 0) || !Number.isInteger(rounds) || rounds < 1)
    throw new Error("--seconds expects a positive number of seconds, --rounds a whole number of rounds from 1");
  const connections = 50;
  const model = await benchModel(process.argv.includes("--fixture"));
  console.log(`Model: ${model.label}`);
  const batched = await startServerProcess({ cwd: model.cwd, reference: model.reference, settings: {} });
  const naive = await startServerProcess({ cwd: model.cwd, reference: model.reference, settings: { maxBatchSize: 1 } });
  try {
    // Warm both servers (JIT, TF.js kernels) before measuring.
    for (const server of [batched, naive]) {
      for (const bodies of model.rows.length > 1 && server === batched ? [[model.row], model.rows] : [[model.row]]) {
        await hammerEach(server.url, "/echo", bodies, connections, 2);
        await hammerEach(server.url, "/predict", bodies, connections, 2);
      }
    }
    const same = await compare(batched.url, [model.row], connections, seconds, rounds);
    const { figures: unbatched } = await compare(naive.url, [model.row], connections, seconds, 1);
    const varied =
      model.rows.length > 1 ? await compare(batched.url, model.rows, connections, seconds, rounds) : undefined;

    const header = (): void =>
      console.log(
        `  ${pad("route", 44)}${pad("req/s", 10)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}${pad("vs echo", 9)}${pad("CPU µs/req", 12)}failures`,
      );
    const line = (name: string, f: Figures, vsEcho: number): void =>
      console.log(
        `  ${pad(name, 44)}${pad(num(f.rps), 10)}${pad(num(f.p50, 1), 9)}${pad(num(f.p99, 1), 9)}${pad(num(vsEcho, 2), 9)}${pad(num(f.cpu, 1), 12)}${f.failures}`,
      );
    const range = (values: number[]): string => `${num(Math.min(...values), 2)}–${num(Math.max(...values), 2)}`;
    const ratioLines = ({ figures, ratios, cpuRatios }: Comparison): void => {
      console.log(
        `  predict/echo = ${num(median(ratios), 2)}, median of the rounds' ratios (${range(ratios)}; goal ≥ 0.70), p99 = ${num(figures.predict.p99, 1)} ms (goal ≤ 20 ms)`,
      );
      console.log(
        `  server CPU per request, echo/predict = ${num(median(cpuRatios), 2)} (${range(cpuRatios)}): /predict's capacity against /echo's when the client is not what limits`,
      );
    };

    console.log(
      `\nOne record per request, the same every time, ${connections} connections, ${seconds} s per run (median of ${rounds} alternating rounds; naive: 1 round):`,
    );
    header();
    const naiveRatio = unbatched.predict.rps / unbatched.echo.rps;
    line("POST /echo (validation, no model)", same.figures.echo, 1);
    line("POST /predict (micro-batched)", same.figures.predict, median(same.ratios));
    line("POST /predict, max_batch_size 1 (naive)", unbatched.predict, naiveRatio);
    ratioLines(same);
    console.log(
      `  naive predict/echo = ${num(naiveRatio, 2)}; "vs echo" compares runs of the same round, req/s are each route's median round`,
    );
    if (varied !== undefined) {
      console.log(
        `\n${model.rows.length} different Pokémon from data/01_raw/pokemon.csv, each connection sending them in turn, same settings:`,
      );
      header();
      line("POST /echo (validation, no model)", varied.figures.echo, 1);
      line("POST /predict (micro-batched)", varied.figures.predict, median(varied.ratios));
      ratioLines(varied);
    }

    console.log(
      `\nBatches through POST /invocations (dataframe_records as JSON, and the same rows as text/csv), ${seconds} s each:`,
    );
    console.log(
      `  ${pad("rows per request", 20)}${pad("connections", 13)}${pad("rows/s", 12)}${pad("p50 ms", 10)}${pad("p99 ms", 10)}statuses`,
    );
    const batches = [1_000, 10_000]
      .flatMap((rows) => [1, 2].map((c) => ({ rows, c, csv: false })))
      .concat([{ rows: 10_000, c: 1, csv: true }]);
    for (const { rows, c, csv } of batches) {
      const result = csv
        ? await autocannon({
            url: `${batched.url}/invocations`,
            connections: c,
            duration: seconds,
            method: "POST",
            headers: { "content-type": "text/csv" },
            body: csvTable(model.row, rows),
          })
        : await hammer(
            batched.url,
            "/invocations",
            { dataframe_records: Array.from({ length: rows }, () => model.row) },
            c,
            seconds,
          );
      const ok = result.statusCodeStats["200"]?.count ?? 0;
      const statuses =
        Object.entries(result.statusCodeStats)
          .map(([code, { count }]) => `${code}×${count}`)
          .join(" ") + (result.errors + result.timeouts > 0 ? ` errors×${result.errors + result.timeouts}` : "");
      console.log(
        `  ${pad(`${num(rows)}${csv ? " (CSV)" : ""}`, 20)}${pad(String(c), 13)}${pad(num((ok * rows) / result.duration), 12)}${pad(num(result.latency.p50, 0), 10)}${pad(num(result.latency.p99, 0), 10)}${statuses}`,
      );
    }
  } finally {
    await Promise.all([batched.stop(), naive.stop()]);
    model.cleanup();
  }
}

if (process.argv[2] === "--child") {
  await runChild(JSON.parse(process.argv[3] ?? "{}") as ChildOptions);
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
