// The server on a real listening socket: a reload under concurrent traffic, tensors under load, overload, draining on close.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProjectRegistry } from "../../../runtime/stores/project-stores.ts";
import { startModelServer, type ModelServer } from "../../../runtime/serve/model-server.ts";
import type { FixtureProject } from "../fixture-project.ts";
import { parseExposition, registeredProject, sampleValue } from "./registered-model.ts";

let project: FixtureProject;
const servers: ModelServer[] = [];

beforeAll(async () => {
  project = await registeredProject(2);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  project.remove();
});

async function start(settings: Parameters<typeof startModelServer>[0] = {}): Promise<ModelServer> {
  const server = await startModelServer({
    cwd: project.root,
    ...settings,
    settings: { port: 0, ...settings.settings },
  });
  servers.push(server);
  return server;
}

function post(
  server: ModelServer,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...headers },
    signal,
  });
}

async function tensors(server: ModelServer): Promise<number> {
  return sampleValue(parseExposition(await (await fetch(`${server.url}/metrics`)).text()), "cellforge_tensors");
}

const point = (i: number) => ({ x1: Math.sin(i), x2: Math.cos(i) });

/** Sends requests from `connections` concurrent loops until `stop()`; counts statuses and network errors. */
function traffic(server: ModelServer, connections: number, request: (i: number) => Promise<Response>) {
  const statuses = new Map<number, number>();
  const errors: unknown[] = [];
  let running = true;
  let sent = 0;
  const loops = Array.from({ length: connections }, async () => {
    while (running) {
      const i = sent++;
      try {
        const response = await request(i);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      } catch (error) {
        errors.push(error);
      }
    }
  });
  return {
    statuses,
    errors,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("hot reload", () => {
  it("swaps versions under concurrent traffic without failing a request, and releases the old model's tensors", async () => {
    const server = await start({ adminToken: "s3cret" });
    const reload = async () =>
      (await post(server, "/admin/reload", {}, { authorization: "Bearer s3cret" })).json() as Promise<
        Record<string, unknown>
      >;
    expect((await (await fetch(`${server.url}/model`)).json()) as object).toMatchObject({ version: 2 }); // no @champion yet: latest
    const before = await tensors(server);

    const load = traffic(server, 16, (i) =>
      i % 5 === 0
        ? post(server, "/invocations", { instances: Array.from({ length: 50 }, (_, j) => point(i + j)) })
        : post(server, "/predict", point(i)),
    );
    const opened = await openProjectRegistry({ cwd: project.root });
    const { registry } = opened;
    try {
      await pause(300);
      await registry.promote("train", 1, "champion");
      expect(await reload()).toMatchObject({ reloaded: true, from: "train:2", to: "train:1" });
      await pause(300);
      await registry.promote("train", 2, "champion");
      expect(await reload()).toMatchObject({ reloaded: true, from: "train:1", to: "train:2" });
      await pause(300);
      expect(await reload()).toMatchObject({ reloaded: false, to: "train:2" });
    } finally {
      await load.stop();
      await opened.close();
    }
    expect(load.errors).toEqual([]);
    expect([...load.statuses.keys()]).toEqual([200]);
    expect(load.statuses.get(200)).toBeGreaterThan(100);
    expect(await tensors(server)).toBe(before);
  });
});

describe("a reload after the pipeline's code changed on disk", () => {
  it("imports the code on disk now, refusing (409) a version registered with other predict code while the server keeps serving", async () => {
    const server = await start({ adminToken: "s3cret" });
    const reload = () => post(server, "/admin/reload", {}, { authorization: "Bearer s3cret" });
    const pipeline = join(project.root, "pipelines/train/pipeline.ts");
    const code = readFileSync(pipeline, "utf8");
    const opened = await openProjectRegistry({ cwd: project.root });
    try {
      await opened.registry.promote("train", 1, "champion");
      writeFileSync(pipeline, code.replace('codeHash: "predict-v1"', 'codeHash: "predict-edited"'));
      const refused = await reload();
      expect(refused.status).toBe(409);
      expect(await refused.json()).toMatchObject({
        error: "RELOAD_REFUSED",
        message: expect.stringMatching(
          /cannot serve train:1: its predict code .* is not the code the version was registered with/s,
        ) as string,
      });
      expect((await (await fetch(`${server.url}/model`)).json()) as object).toMatchObject({ version: 2 });
      expect((await post(server, "/predict", point(1))).status).toBe(200);

      writeFileSync(pipeline, code);
      expect(await (await reload()).json()).toMatchObject({ reloaded: true, from: "train:2", to: "train:1" });
    } finally {
      writeFileSync(pipeline, code);
      await opened.registry.promote("train", 2, "champion");
      await opened.close();
    }
  });
});

describe("under load", () => {
  it("keeps tf.memory().numTensors flat", async () => {
    const server = await start();
    const before = await tensors(server);
    const load = traffic(server, 24, (i) =>
      i % 3 === 0
        ? post(server, "/invocations", {
            dataframe_split: {
              columns: ["x1", "x2"],
              data: Array.from({ length: 300 }, (_, j) => [j / 100, -j / 100]),
            },
          })
        : post(server, "/predict", point(i)),
    );
    await pause(1500);
    await load.stop();
    expect(load.errors).toEqual([]);
    expect([...load.statuses.keys()]).toEqual([200]);
    expect(await tensors(server)).toBe(before);
  });

  it("answers 503 with Retry-After beyond the queue bound, never 500, and keeps answering", async () => {
    const server = await start({ settings: { maxQueueRows: 64, maxBatchSize: 16, maxBatchSizeAlone: 16 } });
    const batch = { instances: Array.from({ length: 32 }, (_, j) => point(j)) };
    const responses = await Promise.all(Array.from({ length: 60 }, () => post(server, "/predict", batch)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    const refused = responses.filter((r) => r.status === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(statuses).toContain(200);
    for (const response of refused) {
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await response.json()).toMatchObject({
        error: "OVERLOADED",
        message: expect.stringContaining("at capacity") as string,
      });
    }
    expect((await post(server, "/predict", point(1))).status).toBe(200);
    const exposition = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    expect(sampleValue(exposition, "cellforge_rejected_requests_total", { reason: "queue_rows" })).toBe(refused.length);
    expect(sampleValue(exposition, "cellforge_http_requests_total", { route: "/predict", status: "503" })).toBe(
      refused.length,
    );
  });
});

describe("a client that hangs up", () => {
  it("has the rest of its request dropped from the queue, and the server keeps answering", async () => {
    const server = await start({ settings: { maxBatchSize: 8 } });
    const rows = 20_000;
    const abort = new AbortController();
    const abandoned = post(
      server,
      "/invocations",
      {
        dataframe_split: {
          columns: ["x1", "x2"],
          data: Array.from({ length: rows }, (_, j) => [j / 1000, 1 - j / 1000]),
        },
      },
      {},
      abort.signal,
    );
    while (server.serving.batcher.queuedRows === 0) await pause(1);
    abort.abort();
    await expect(abandoned).rejects.toThrow();
    while (server.serving.batcher.queuedRows > 0) await pause(1);
    const exposition = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    expect(sampleValue(exposition, "cellforge_batch_size_rows_sum")).toBeLessThan(rows);
    expect((await post(server, "/predict", point(1))).status).toBe(200);
  });
});

describe("closing", () => {
  it("answers the requests in flight before it stops", async () => {
    const server = await start({ settings: { maxBatchSize: 64 } });
    const big = {
      dataframe_split: {
        columns: ["x1", "x2"],
        data: Array.from({ length: 20_000 }, (_, j) => [j / 1000, 1 - j / 1000]),
      },
    };
    const inFlight = post(server, "/invocations", big);
    while (server.serving.batcher.queuedRows === 0) await pause(1);
    const closed = server.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { predictions: unknown[] }).predictions).toHaveLength(20_000);
    await closed;
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
