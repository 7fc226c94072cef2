/**
 * What a client of a draining `cellforge serve` sees: large /invocations bodies sent slowly (so
 * they are in flight when the signal comes), a keep-alive socket left idle, and fresh connections
 * tried after the signal. Shared by tests/runtime/serve/drain.test.ts and bench/drain.ts.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { request, Agent, type IncomingHttpHeaders } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

/** How one HTTP exchange ended: a status and body, or the socket error's code. */
export type Outcome = { status: number; headers: IncomingHttpHeaders; body: string } | { error: string };

/** A CSV body of `rows` fixture points (x1,x2). */
export function pointsCsv(rows: number): string {
  const lines = ["x1,x2"];
  for (let i = 0; i < rows; i++) lines.push(`${((i * 37) % 100) / 100},${((i * 61) % 100) / 100}`);
  return `${lines.join("\n")}\n`;
}

/** POSTs `body` to `url` in `chunks` pieces `gapMs` apart on a connection of its own; `connected` resolves once the first piece is written. */
export function slowPost(
  url: string,
  body: string,
  chunks: number,
  gapMs: number,
): { connected: Promise<void>; done: Promise<Outcome> } {
  let onConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  const done = new Promise<Outcome>((resolve) => {
    const req = request(
      `${url}/invocations`,
      {
        method: "POST",
        agent: false,
        headers: { "content-type": "text/csv", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      onConnected();
      resolve({ error: error.code ?? error.message });
    });
    void (async () => {
      const size = Math.ceil(body.length / chunks);
      for (let i = 0; i < chunks; i++) {
        if (req.destroyed) return;
        req.write(body.slice(i * size, (i + 1) * size));
        if (i === 0) onConnected();
        await sleep(gapMs);
      }
      req.end();
    })();
  });
  return { connected, done };
}

/** GETs `path` through `agent` (or a fresh connection). */
export function get(url: string, path: string, agent: Agent | false = false): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request(`${url}${path}`, { agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

/** A `cellforge serve` process started in its own process group, as a terminal or a service manager runs it. */
export interface ServeProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output(): string;
}

/** Starts `bin serve args…` in `cwd`; resolves once it says it is serving. */
export async function startServe(bin: string, cwd: string, args: string[]): Promise<ServeProcess> {
  const child = spawn(bin, ["serve", "--port", "0", ...args], {
    cwd,
    detached: true,
    env: { ...process.env, CELLFORGE_TF_BACKEND: "wasm" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", () => {
      const match = /serving \S+ at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`cellforge serve exited (${code}) before it was ready:\n${output}`)));
  });
  return { child, url, exited, output: () => output };
}

/** What one drain trial saw. */
export interface DrainTrial {
  /** The large requests in flight at the signal: how each ended, and how many predictions it got. */
  inFlight: { outcome: string; predictions: number }[];
  /** Fresh connections tried from 100 ms after the signal: "200" or the socket error (ECONNREFUSED, ECONNRESET…). */
  after: string[];
  /** Fresh connections tried every 10 ms from 100 ms before the signal to 200 ms after it, with when (ms from the signal). */
  aroundSignal: { atMs: number; outcome: string }[];
  /** A request on a keep-alive socket left idle when the signal came: status and Connection header, or the error. */
  keptAlive: string;
  /** The exit code, and how long after the signal the process ended (ms). */
  code: number | null;
  exitMs: number;
}

function describe(outcome: Outcome): string {
  return "error" in outcome ? outcome.error : String(outcome.status);
}

/**
 * One trial: `requests` bodies of `rows` rows sent slowly, `signal` sent (to the process group when
 * `group`, as Ctrl-C or a service manager does) while they are in flight, fresh connections tried
 * after it, then the process awaited for at most `exitWithinMs`.
 */
export async function drainTrial(
  server: ServeProcess,
  options: { requests: number; rows: number; signal: NodeJS.Signals; group: boolean; exitWithinMs: number },
): Promise<DrainTrial> {
  const { url, child } = server;
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = pointsCsv(options.rows);
  const posts = Array.from({ length: options.requests }, () => slowPost(url, body, 10, 150));
  await Promise.all(posts.map((p) => p.connected));
  await sleep(300);
  await get(url, "/health", keepAlive); // leaves one idle keep-alive socket
  // Fresh connections every 10 ms from 100 ms before the signal to 200 ms after it.
  const around = Array.from({ length: 30 }, (_, i) =>
    sleep(i * 10).then(async () => ({ at: Date.now(), outcome: await get(url, "/health") })),
  );
  await sleep(100);
  const signalled = Date.now();
  if (options.group) process.kill(-child.pid!, options.signal);
  else child.kill(options.signal);
  await sleep(100);
  const keptAlive = await get(url, "/health", keepAlive);
  const after = await Promise.all(Array.from({ length: 4 }, (_, i) => sleep(i * 50).then(() => get(url, "/health"))));
  const aroundSignal = (await Promise.all(around)).map(({ at, outcome }) => ({
    atMs: at - signalled,
    outcome: describe(outcome),
  }));
  const results = await Promise.all(posts.map((p) => p.done));
  const timeout = sleep(options.exitWithinMs).then(() => "timeout" as const);
  const code = await Promise.race([server.exited, timeout]);
  const exitMs = Date.now() - signalled;
  keepAlive.destroy();
  if (code === "timeout") {
    process.kill(-child.pid!, "SIGKILL");
    return {
      inFlight: results.map((r) => ({ outcome: describe(r), predictions: 0 })),
      after: after.map(describe),
      aroundSignal,
      keptAlive: describe(keptAlive),
      code: null,
      exitMs,
    };
  }
  return {
    inFlight: results.map((r) => ({
      outcome: describe(r),
      predictions:
        "error" in r || r.status !== 200 ? 0 : (JSON.parse(r.body) as { predictions: unknown[] }).predictions.length,
    })),
    after: after.map(describe),
    aroundSignal,
    keptAlive:
      "error" in keptAlive ? keptAlive.error : `${keptAlive.status} connection: ${keptAlive.headers.connection ?? "-"}`,
    code,
    exitMs,
  };
}
