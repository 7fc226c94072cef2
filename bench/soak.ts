/**
 * Soak: a bounded run of mixed traffic at 50 connections on 127.0.0.1 — single records and
 * {"instances"} batches on /predict, dataframe_split on /invocations — that stops by itself and
 * prints the errors (goal 0), the server's RSS growth after warm-up (goal < 10%) and its TF.js
 * tensor count before and after (goal: unchanged), read from the server's /metrics.
 *
 * Under load RSS is a sawtooth (V8 grows the heap between collections, by a few hundred MB here),
 * so where the first and last samples land says little; a leak shows as a rising floor. The
 * growth judged is the floor's: the lowest sample of the second half against the lowest of the
 * first half. Run with `npx tsx bench/soak.ts [--seconds N] [--fixture]` (default 300 s).
 */
import { autocannon, benchModel, startServerProcess, type AutocannonRequest } from "./serve.ts";

const secondsArg = process.argv.indexOf("--seconds");
const seconds = secondsArg >= 0 ? Number(process.argv[secondsArg + 1]) : 300;
if (!Number.isFinite(seconds) || seconds <= 0) throw new Error("--seconds expects a positive number of seconds");
const CONNECTIONS = 50;
const WARM_UP_SECONDS = Math.min(30, Math.max(3, seconds / 10));
const SAMPLES = 40;

interface Sample {
  at: number;
  rss: number;
  tensors: number;
}

async function sample(url: string, start: number): Promise<Sample> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
  return {
    at: (performance.now() - start) / 1000,
    rss: value("process_resident_memory_bytes"),
    tensors: value("cellforge_tensors"),
  };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const model = await benchModel(process.argv.includes("--fixture"));
console.log(`Model: ${model.label}`);
const server = await startServerProcess({
  cwd: model.cwd,
  reference: model.reference,
  settings: { host: "127.0.0.1" },
});
const json = { "content-type": "application/json" };
const columns = Object.keys(model.row);
const requests: AutocannonRequest[] = [
  ...Array.from({ length: 6 }, (): AutocannonRequest => ({
    method: "POST",
    path: "/predict",
    headers: json,
    body: JSON.stringify(model.row),
  })),
  {
    method: "POST",
    path: "/predict",
    headers: json,
    body: JSON.stringify({ instances: Array.from({ length: 20 }, () => model.row) }),
  },
  {
    method: "POST",
    path: "/invocations",
    headers: json,
    body: JSON.stringify({
      dataframe_split: { columns, data: Array.from({ length: 100 }, () => columns.map((c) => model.row[c])) },
    }),
  },
];
try {
  console.log(`Warming up for ${WARM_UP_SECONDS} s…`);
  await autocannon({ url: server.url, connections: CONNECTIONS, duration: WARM_UP_SECONDS, requests });
  const start = performance.now();
  const before = await sample(server.url, start);
  console.log(`Soaking for ${seconds} s at ${CONNECTIONS} connections on ${server.url}…`);
  const samples: Sample[] = [before];
  const timer = setInterval(
    () => void sample(server.url, start).then((s) => samples.push(s)),
    Math.max(500, (seconds * 1000) / SAMPLES),
  );
  const result = await autocannon({ url: server.url, connections: CONNECTIONS, duration: seconds, requests });
  clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 500)); // let the last responses settle
  const after = await sample(server.url, start);
  samples.push(after);

  const errors = result.errors + result.timeouts + result.non2xx;
  const floor = (part: Sample[]): number => Math.min(...part.map((s) => s.rss));
  const firstHalf = samples.filter((s) => s.at <= seconds / 2);
  const secondHalf = samples.filter((s) => s.at > seconds / 2);
  const growth = (floor(secondHalf) - floor(firstHalf)) / floor(firstHalf);
  const peak = Math.max(...samples.map((s) => s.rss));
  console.log(
    `\n  requests      ${result.requests.total.toLocaleString("en-US")} (${Math.round(result.requests.average).toLocaleString("en-US")}/s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`,
  );
  console.log(
    `  statuses      ${Object.entries(result.statusCodeStats)
      .map(([code, { count }]) => `${code}×${count}`)
      .join(" ")}`,
  );
  console.log(
    `  errors        ${errors} (${result.errors} socket errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx)          goal: 0`,
  );
  const percent = (x: number): string => `${x >= 0 ? "+" : ""}${(x * 100).toFixed(1)}%`;
  console.log(
    `  RSS floor     ${mb(floor(firstHalf))} (first half) → ${mb(floor(secondHalf))} (second half), ${percent(growth)}          goal: < +10%`,
  );
  console.log(
    `  RSS           ${mb(before.rss)} at start → ${mb(after.rss)} at end (${percent((after.rss - before.rss) / before.rss)}), peak ${mb(peak)}`,
  );
  console.log(`  tensors       ${before.tensors} → ${after.tensors}          goal: unchanged`);
  console.log(
    `  RSS over time ${samples.map((s) => `${Math.round(s.at)}s:${(s.rss / 1024 / 1024).toFixed(0)}`).join(" ")} (MB)`,
  );
  process.exitCode = errors === 0 && growth < 0.1 && before.tensors === after.tensors ? 0 : 1;
} finally {
  await server.stop();
  model.cleanup();
}
