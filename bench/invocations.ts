/**
 * Batch scoring figures: rows/s of the model's raw `infer` on a 10,000-row tensor (the ceiling), of
 * POST /invocations with 10,000-row batches in each MLflow format (dataframe_split,
 * dataframe_records, instances, text/csv) and their ratio to the raw figure measured around each (goal ≥ 0.7), then
 * dataframe_split again with the model on the server's event loop (model_thread: false, the baseline), where the
 * time of one 10,000-row request goes (body parse, reading rows, validation, the predict function
 * — feature writing, infer, prediction objects — and serialization), and /predict and /health p99
 * while 10,000-row batches are scored (goal ≤ 20 ms). Run with
 * `npx tsx bench/invocations.ts [--seconds N] [--stream-rows N] [--fixture] [--in-process-only] [--stream-only] [--mixed-only]`. Last, one text/csv POST of
 * --stream-rows rows (1,000,000 by default) answered as NDJSON: its time and the server's peak RSS growth.
 */
import { tf } from "../runtime/tfjs/backend.ts";
import { infer } from "../runtime/tfjs/inference.ts";
import { openProjectRegistry } from "../runtime/stores/project-stores.ts";
import { loadModelVersion } from "../runtime/serve/model-loader.ts";
import { mlflowRows } from "../runtime/serve/mlflow-input.ts";
import { predictionsAnswer } from "../runtime/serve/json-answer.ts";
import { csvRows } from "../runtime/serve/csv-input.ts";
import { ServedContract } from "../runtime/serve/served-contract.ts";
import { parseServedReference, resolveServedVersion } from "../runtime/serve/served-reference.ts";
import { request as httpRequest } from "node:http";
import { loadavg } from "node:os";
import { Readable } from "node:stream";
import { autocannon, benchModel, startServerProcess, type AutocannonResult } from "./serve.ts";

const ROWS = 10_000;
const pad = (text: string, width: number): string => text.padEnd(width);
const num = (value: number, digits = 0): string =>
  value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Median ms of `runs` calls of `fn` after two warm-up calls. */
function time(fn: () => unknown, runs = 9): number {
  fn();
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

async function timeAsync(fn: () => Promise<unknown>, runs = 9): Promise<number> {
  await fn();
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** The request bodies of one batch in each format. */
function bodies(rows: Record<string, unknown>[], fields: string[]): Record<string, { type: string; text: string }> {
  const csvCell = (value: unknown): string => {
    if (value === null) return "";
    if (Array.isArray(value))
      return `"[${value.map((v) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v))).join(", ")}]"`;
    return typeof value === "string" ? value : JSON.stringify(value);
  };
  const json = (body: unknown) => ({ type: "application/json", text: JSON.stringify(body) });
  return {
    dataframe_split: json({ dataframe_split: { columns: fields, data: rows.map((r) => fields.map((f) => r[f])) } }),
    dataframe_records: json({ dataframe_records: rows }),
    instances: json({ instances: rows }),
    "text/csv": {
      type: "text/csv",
      text: [fields.join(","), ...rows.map((r) => fields.map((f) => csvCell(r[f])).join(","))].join("\n") + "\n",
    },
  };
}

function statuses(result: AutocannonResult): string {
  const codes = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`);
  const errors = result.errors + result.timeouts;
  return codes.join(" ") + (errors > 0 ? ` errors×${errors}` : "");
}

/** The server process's memory (bytes), from its /metrics: resident, V8 heap reserved, and outside the heap (buffers, WASM). */
async function serverMemory(url: string): Promise<{ rss: number; heap: number; external: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sample = (name: string): number => {
    const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
    if (match === null) throw new Error(`${url}/metrics has no ${name}`);
    return Number(match[1]);
  };
  return {
    rss: sample("process_resident_memory_bytes"),
    heap: sample("nodejs_heap_size_total_bytes"),
    external: sample("nodejs_external_memory_bytes"),
  };
}

/** Median ms of the model's forward pass alone on a 10,000-row tensor of random features, its outputs read back. */
function timeRawInfer(layers: tf.LayersModel, runs: number): number {
  const width = layers.inputs[0]!.shape[1] as number;
  const x = tf.tensor2d(
    Float32Array.from({ length: ROWS * width }, () => Math.random()),
    [ROWS, width],
  );
  const ms = time(() => {
    const outputs = tf.tidy(() => infer(layers, x));
    for (const output of Array.isArray(outputs) ? outputs : [outputs]) output.dataSync();
    tf.dispose(outputs);
  }, runs);
  x.dispose();
  return ms;
}

/** POSTs `rows` CSV rows of `row` as a streamed body asking for NDJSON; prints time, rows/s and the server's peak RSS growth. */
async function streamFigures(
  url: string,
  row: Record<string, unknown>,
  fields: string[],
  rows: number,
  raw: number,
): Promise<void> {
  const line = bodies([row], fields)["text/csv"]!.text.split("\n")[1]!;
  const block = Array.from({ length: 1_000 }, () => line).join("\n") + "\n";
  const body = Readable.from(
    (function* () {
      yield fields.join(",") + "\n";
      for (let sent = 0; sent < rows; sent += 1_000) yield block;
    })(),
  );
  const before = await serverMemory(url);
  const peak = { ...before };
  const observe = (now: { rss: number; heap: number; external: number }): void => {
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heap = Math.max(peak.heap, now.heap);
    peak.external = Math.max(peak.external, now.external);
  };
  const sampler = setInterval(() => void serverMemory(url).then(observe), 250);
  const start = performance.now();
  const { lines, status } = await new Promise<{ lines: number; status: number }>((resolve, reject) => {
    const request = httpRequest(
      `${url}/invocations`,
      { method: "POST", headers: { "content-type": "text/csv", accept: "application/x-ndjson" } },
      (response) => {
        let count = 0;
        response.on("data", (chunk: Buffer) => {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) count++;
        });
        response.on("end", () => resolve({ lines: count, status: response.statusCode ?? 0 }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    body.pipe(request);
  });
  const seconds = (performance.now() - start) / 1000;
  clearInterval(sampler);
  observe(await serverMemory(url));
  const mb = (bytes: number): string => num(bytes / 2 ** 20);
  console.log(
    `\nStreamed CSV → NDJSON, ${num(rows)} rows in one POST /invocations: status ${status}, ${num(lines)} lines, ${num(seconds, 1)} s, ${num(rows / seconds)} rows/s (${num(rows / seconds / raw, 2)} of raw); server RSS ${mb(before.rss)} MB before, peak ${mb(peak.rss)} MB: growth ${mb(peak.rss - before.rss)} MB (goal ≤ 100 MB); V8 heap growth ${mb(peak.heap - before.heap)} MB, outside the heap ${mb(peak.external - before.external)} MB; load average ${loadAverage()}`,
  );
}

/** /predict (4 connections) and /health (1 connection) for `seconds`, with or without one client keeping 10,000-row batches coming. */
async function smallRequests(url: string, row: Record<string, unknown>, batch: string | undefined, seconds: number) {
  const batches =
    batch === undefined
      ? undefined
      : autocannon({
          url: `${url}/invocations`,
          connections: 1,
          duration: seconds,
          method: "POST",
          headers: { "content-type": "application/json" },
          body: batch,
          // On a thread of its own: reading 4.6 MB answers on the thread that times /predict delayed its timestamps
          // (p99 26–80 ms measured that way against 21–28 ms this way, alternate runs of 2026-12-07).
          workers: 1,
        });
  const [predict, health] = await Promise.all([
    autocannon({
      url: `${url}/predict`,
      connections: 4,
      duration: seconds,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(row),
    }),
    autocannon({ url: `${url}/health`, connections: 1, duration: seconds }),
  ]);
  return { predict, health, batches: await batches };
}

const loadAverage = (): string => loadavg()[0]!.toFixed(1);

/** /predict and /health latency while one client keeps 10,000-row batches coming, beside the same without batches, alternately in the same run. */
async function mixedLoad(
  url: string,
  row: Record<string, unknown>,
  batch: string,
  seconds: number,
  rawNow: () => number,
): Promise<void> {
  console.log(
    `\nMixed load, ${seconds} s per run, alternating: 4 connections sending one record to /predict and 1 polling /health, alone and while 1 connection scores ${num(ROWS)}-row dataframe_split batches:`,
  );
  console.log(
    `  ${pad("run", 26)}${pad("/predict p50", 14)}${pad("p99 ms", 9)}${pad("req/s", 9)}${pad("/health p99", 13)}${pad("batch rows/s", 14)}${pad("load avg", 10)}statuses`,
  );
  // The same mix for 2 s first, not counted: with --mixed-only nothing else has warmed the batch path up (JIT).
  await smallRequests(url, row, batch, 2);
  for (const round of [1, 2]) {
    for (const withBatches of [false, true]) {
      const raw = withBatches ? rawNow() : NaN;
      const { predict, health, batches } = await smallRequests(url, row, withBatches ? batch : undefined, seconds);
      const batchRate =
        batches === undefined ? undefined : ((batches.statusCodeStats["200"]?.count ?? 0) * ROWS) / batches.duration;
      console.log(
        `  ${pad(`${round}: ${withBatches ? "with batches" : "alone"}`, 26)}${pad(num(predict.latency.p50, 1), 14)}${pad(num(predict.latency.p99, 1), 9)}${pad(num(predict.requests.average), 9)}${pad(num(health.latency.p99, 1), 13)}${pad(batchRate === undefined ? "" : `${num(batchRate)} (${num(batchRate / raw, 2)})`, 14)}${pad(loadAverage(), 10)}${statuses(predict)} ${statuses(health)}${batches === undefined ? "" : ` ${statuses(batches)}`}`,
      );
    }
  }
  console.log("  goal: /predict p99 ≤ 20 ms while batches are scored");
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--seconds");
  const seconds = at >= 0 ? Number(process.argv[at + 1]) : 5;
  const streamAt = process.argv.indexOf("--stream-rows");
  const streamRows = streamAt >= 0 ? Number(process.argv[streamAt + 1]) : 1_000_000;
  const model = await benchModel(process.argv.includes("--fixture"));
  console.log(`Model: ${model.label}`);
  const opened = await openProjectRegistry({ cwd: model.cwd });
  const version = await resolveServedVersion(opened.registry, parseServedReference(model.reference));
  const served = await loadModelVersion(opened.registry, opened.root, version);
  await opened.close();
  const contract = new ServedContract(version);
  const schemas = contract.schemas;
  const fields = schemas.fields;
  const pool = model.rows.length > 1 ? model.rows : [model.row];
  const rows = Array.from({ length: ROWS }, (_, i) => pool[i % pool.length]!);
  const formats = bodies(rows, fields);

  // The ceiling: the model's forward pass alone on a 10,000-row tensor, outputs read back. Measured again around
  // each HTTP figure (the server idle meanwhile), which is divided by the ceiling of its own moment: this machine's speed
  // drifts by a third from minute to minute, and one figure taken at the start skewed every ratio after it.
  const layers = Object.values(served.artifacts).find((a): a is tf.LayersModel => a instanceof tf.LayersModel);
  const rawInferMs = (runs = 9): number => (layers === undefined ? NaN : timeRawInfer(layers, runs));
  const rawMs = rawInferMs();
  const rawNow = (): number => (ROWS / rawInferMs(5)) * 1000;
  const raw = (ROWS / rawMs) * 1000;
  console.log(`\nraw infer rows/s: ${num(raw)} (${ROWS}-row tensor, ${num(rawMs, 1)} ms per call, in process)`);

  // Where one 10,000-row request's time goes, in process, with the server's own parts.
  const validate = contract.validator(schemas.batchRequest);
  const parsedRows = mlflowRows(JSON.parse(formats.dataframe_records!.text), fields);
  const predictMs = await timeAsync(() => served.predict(parsedRows));
  const predictions = (await served.predict(parsedRows)) as unknown[];
  const serializeMs = await timeAsync(() => predictionsAnswer(predictions));
  const stringifyMs = time(() => Buffer.from(JSON.stringify({ predictions })));
  const answerMb = (await predictionsAnswer(predictions)).length / 2 ** 20;
  const stringifyMb = Buffer.byteLength(JSON.stringify({ predictions })) / 2 ** 20;

  const slice = 128;
  const slicedMs = await timeAsync(async () => {
    for (let from = 0; from < ROWS; from += slice) await served.predict(parsedRows.slice(from, from + slice));
  }, 3);
  console.log(
    `\npredict fn on ${num(ROWS)} rows: ${num(predictMs, 1)} ms in one call, ${num(slicedMs, 1)} ms in ${slice}-row calls; serialize to bytes: ${num(serializeMs, 1)} ms as /invocations writes it (json-bytes.ts, ${num(answerMb, 1)} MB), ${num(stringifyMs, 1)} ms with JSON.stringify (${num(stringifyMb, 1)} MB), ratio ${num(serializeMs / stringifyMs, 2)}`,
  );
  console.log(`\nWhere one ${num(ROWS)}-row request's time goes (ms, in process, median of 9):`);
  console.log(
    `  ${pad("format", 20)}${pad("parse", 9)}${pad("rows", 9)}${pad("validate", 10)}${pad("predict fn", 12)}${pad("(infer)", 10)}${pad("serialize", 11)}${pad("total", 9)}rows/s vs raw`,
  );
  for (const [name, { text }] of Object.entries(formats)) {
    const csv = name === "text/csv";
    const parseMs = csv ? 0 : time(() => JSON.parse(text));
    const body = csv ? undefined : (JSON.parse(text) as unknown);
    const rowsMs = time(() => (csv ? csvRows(text, schemas.request) : mlflowRows(body, fields)));
    const instances = csv ? csvRows(text, schemas.request) : mlflowRows(body, fields);
    const validateMs = time(() => {
      if (!validate({ instances })) throw new Error(JSON.stringify(validate.errors));
    });
    const total = parseMs + rowsMs + validateMs + predictMs + serializeMs;
    console.log(
      `  ${pad(name, 20)}${pad(num(parseMs, 1), 9)}${pad(num(rowsMs, 1), 9)}${pad(num(validateMs, 1), 10)}${pad(num(predictMs, 1), 12)}${pad(num(rawMs, 1), 10)}${pad(num(serializeMs, 1), 11)}${pad(num(total, 1), 9)}${num(total > 0 ? rawMs / total : 0, 2)}`,
    );
  }
  if (process.argv.includes("--in-process-only")) return served.dispose();
  const streamOnly = process.argv.includes("--stream-only");
  const mixedOnly = process.argv.includes("--mixed-only");

  const serverOptions = { cwd: model.cwd, reference: model.reference, settings: {} };
  const server = await startServerProcess(serverOptions);
  try {
    console.log(
      `\nPOST /invocations, ${num(ROWS)}-row batches, ${seconds} s each, each beside raw infer measured just before and after it (mean):`,
    );
    console.log(
      `  ${pad("format", 20)}${pad("connections", 13)}${pad("rows/s", 12)}${pad("raw rows/s", 12)}${pad("vs raw", 9)}${pad("p50 ms", 9)}${pad("p99 ms", 9)}statuses`,
    );
    const row = async (url: string, name: string, type: string, text: string, connections: number): Promise<void> => {
      const options = {
        url: `${url}/invocations`,
        connections,
        method: "POST" as const,
        headers: { "content-type": type },
        body: text,
      };
      await autocannon({ ...options, duration: 1 });
      const rawBefore = rawNow();
      const result = await autocannon({ ...options, duration: seconds });
      const rawHere = (rawBefore + rawNow()) / 2;
      const ok = result.statusCodeStats["200"]?.count ?? 0;
      const rate = (ok * ROWS) / result.duration;
      console.log(
        `  ${pad(name, 20)}${pad(String(connections), 13)}${pad(num(rate), 12)}${pad(num(rawHere), 12)}${pad(num(rate / rawHere, 2), 9)}${pad(num(result.latency.p50), 9)}${pad(num(result.latency.p99), 9)}${statuses(result)}`,
      );
    };
    for (const [name, { type, text }] of streamOnly || mixedOnly ? [] : Object.entries(formats)) {
      for (const connections of [1, 2]) await row(server.url, name, type, text, connections);
    }
    if (!streamOnly && !mixedOnly) {
      // The baseline: the same server with the model on its event loop (serving.yml model_thread: false).
      const split = formats.dataframe_split!;
      const onLoop = await startServerProcess({ ...serverOptions, settings: { modelThread: false } });
      try {
        console.log("  the model on the server's event loop (model_thread: false):");
        for (const connections of [1, 2]) await row(onLoop.url, "dataframe_split", split.type, split.text, connections);
      } finally {
        await onLoop.stop();
      }
    }

    if (!streamOnly) await mixedLoad(server.url, model.row, formats.dataframe_split!.text, seconds, rawNow);
    if (mixedOnly) return;
    // A first, short stream warms the path up (JIT, the heap's young generation, socket buffers): what remains is what rows cost.
    await streamFigures(server.url, model.row, fields, 50_000, rawNow());
    await streamFigures(server.url, model.row, fields, streamRows, rawNow());
  } finally {
    served.dispose();
    await server.stop();
    model.cleanup();
  }
}

await main();
