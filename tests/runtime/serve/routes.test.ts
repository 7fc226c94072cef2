// The server's routes through app.inject(): payload shapes, validation errors, health and readiness, metrics, OpenAPI, admin.
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelServer } from "../../../runtime/serve/model-server.ts";
import { loadModelVersion } from "../../../runtime/serve/model-loader.ts";
import { ServedModel } from "../../../runtime/serve/served-model.ts";
import { parseServedReference, resolveServedVersion } from "../../../runtime/serve/served-reference.ts";
import { openProjectRegistry } from "../../../runtime/stores/project-stores.ts";
import type { FixtureProject } from "../fixture-project.ts";
import { parseExposition, registeredProject, sampleValue } from "./registered-model.ts";

let project: FixtureProject;
let server: ModelServer;
const extraServers: ModelServer[] = [];

beforeAll(async () => {
  project = await registeredProject();
  server = await ModelServer.open({ cwd: project.root, adminToken: "s3cret" });
  await server.load();
});

afterAll(async () => {
  await Promise.all([server, ...extraServers].map((s) => s.close()));
  project.remove();
  rmSync(`${project.root}-changed`, { recursive: true, force: true });
});

async function post(url: string, payload: unknown, target: ModelServer = server) {
  const response = await target.app.inject({
    method: "POST",
    url,
    payload: JSON.stringify(payload),
    headers: { "content-type": "application/json" },
  });
  return { status: response.statusCode, headers: response.headers, body: response.json<Record<string, unknown>>() };
}

async function postRaw(url: string, payload: string, contentType = "application/json", target: ModelServer = server) {
  const response = await target.app.inject({ method: "POST", url, payload, headers: { "content-type": contentType } });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

async function get(url: string, target: ModelServer = server) {
  return target.app.inject({ method: "GET", url });
}

const rows = [
  { x1: 1.2, x2: 0.8 },
  { x1: -1.1, x2: -0.9 },
  { x1: 0.1, x2: -0.2 },
];

describe("readiness", () => {
  it("answers /health at once, /ready and /ping 503 until the model is loaded, then 200", async () => {
    const logLines: string[] = [];
    const fresh = await ModelServer.open({
      cwd: project.root,
      logger: { level: "info", stream: { write: (line: string) => logLines.push(line) } },
    });
    extraServers.push(fresh);
    expect((await get("/health", fresh)).statusCode).toBe(200);
    const loading = await get("/ready", fresh);
    expect(loading.statusCode).toBe(503);
    expect(loading.json()).toMatchObject({ status: "loading" });
    expect((await get("/ping", fresh)).statusCode).toBe(503);
    expect(await post("/predict", rows[0], fresh)).toMatchObject({ status: 503, body: { error: "NOT_READY" } });
    // An early request is expected (npm start's users curl right away): it is not logged as a server error.
    expect(logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);

    await fresh.load();
    const ready = await get("/ready", fresh);
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready", model: "train:1" });
    expect((await get("/ping", fresh)).statusCode).toBe(200);
    expect((await post("/predict", rows[0], fresh)).status).toBe(200);

    const closing = fresh.close();
    expect((await get("/ready", fresh)).statusCode).toBe(503);
    await closing;
  });

  it("refuses to serve a version with pipeline code whose schema changed since it was registered", async () => {
    const copy = `${project.root}-changed`;
    cpSync(project.root, copy, { recursive: true, verbatimSymlinks: true });
    const pipeline = join(copy, "pipelines/train/pipeline.ts");
    writeFileSync(pipeline, readFileSync(pipeline, "utf8").replace('required: ["x1", "x2"]', 'required: ["x1"]'));
    const changed = await ModelServer.open({ cwd: copy });
    extraServers.push(changed);
    await expect(changed.load()).rejects.toMatchObject({
      code: "MODEL_MISMATCH",
      message: expect.stringMatching(/request schema differs.*cellforge run train/s) as string,
    });
    const ready = await get("/ready", changed);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({
      status: "failed",
      message: expect.stringContaining("cannot serve train:1") as string,
    });
  });
});

describe("POST /predict", () => {
  it("answers one record with one prediction of the response schema", async () => {
    const { status, body } = await post("/predict", rows[0]);
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["label", "probability"]);
    expect([0, 1]).toContain(body["label"]);
    expect(body["probability"]).toBeGreaterThanOrEqual(0.5);
  });

  it("answers {instances} with {predictions} in the same order as single requests", async () => {
    const { status, body } = await post("/predict", { instances: rows });
    expect(status).toBe(200);
    const singles = await Promise.all(rows.map(async (row) => (await post("/predict", row)).body));
    expect(body).toEqual({ predictions: singles });
    expect((await post("/predict", { instances: [] })).body).toEqual({ predictions: [] });
  });
});

describe("POST /invocations (MLflow scoring protocol)", () => {
  let expected: unknown;
  beforeAll(async () => {
    expected = (await post("/predict", { instances: rows })).body;
  });

  it.each([
    ["dataframe_split", { dataframe_split: { columns: ["x1", "x2"], data: rows.map((r) => [r.x1, r.x2]) } }],
    [
      "dataframe_split with columns in another order and an index",
      { dataframe_split: { index: [7, 8, 9], columns: ["x2", "x1"], data: rows.map((r) => [r.x2, r.x1]) } },
    ],
    ["dataframe_records", { dataframe_records: rows }],
    ["instances as records", { instances: rows }],
    ["inputs as records", { inputs: rows }],
    ["inputs as columns", { inputs: { x1: rows.map((r) => r.x1), x2: rows.map((r) => r.x2) } }],
    ["inputs as positional rows", { inputs: rows.map((r) => [r.x1, r.x2]) }],
    ["instances with empty params", { instances: rows, params: {} }],
  ])("reads %s", async (_name, payload) => {
    const { status, body } = await post("/invocations", payload);
    expect(status).toBe(200);
    expect(body).toEqual(expected);
  });

  it.each([
    ["no format", { rows }, /exactly one of dataframe_split, dataframe_records, instances, inputs; it has rows/],
    ["two formats", { instances: rows, inputs: rows }, /exactly one of/],
    ["a list", [rows[0]], /it is a list/],
    [
      "a row of the wrong length",
      { dataframe_split: { columns: ["x1", "x2"], data: [[1, 2], [3]] } },
      /row 1 has 1 values for 2 columns/,
    ],
    ["uneven columns", { inputs: { x1: [1, 2], x2: [3] } }, /column `x2` has 1 values/],
    [
      "params the model does not take",
      { instances: rows, params: { temperature: 0.5 } },
      /takes no inference `params`/,
    ],
    [
      "a mistyped value",
      {
        dataframe_split: {
          columns: ["x1", "x2"],
          data: [
            [1, 2],
            [3, "4"],
          ],
        },
      },
      /row 1: field `x2` must be a number, not the string "4"/,
    ],
    [
      "an unknown column",
      { dataframe_split: { columns: ["x1", "x2", "x3"], data: [[1, 2, 3]] } },
      /row 0: unknown field `x3` \(the model takes x1, x2\)/,
    ],
  ])("answers 400 with MLflow's error_code for %s", async (_name, payload, message) => {
    const { status, body } = await post("/invocations", payload);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error_code: "BAD_REQUEST", error: "INVALID_REQUEST" });
    expect(body["message"]).toMatch(message);
  });

  it.each([
    ["a header and rows", "x1,x2\n1.2,0.8\n-1.1,-0.9\n0.1,-0.2\n"],
    [
      "pandas' to_csv, index first, CRLF line ends, quoted names",
      '"",x2,"x1"\r\n7,0.8,1.2\r\n8,-0.9,-1.1\r\n9,-0.2,0.1\r\n',
    ],
    ["a charset in the content type", "x1,x2\n1.2,0.8\n-1.1,-0.9\n0.1,-0.2\n", "text/csv; charset=utf-8"],
  ])("reads a CSV body (text/csv): %s", async (_name, csv, contentType = "text/csv") => {
    const { status, body } = await postRaw("/invocations", csv, contentType);
    expect(status).toBe(200);
    expect(body).toEqual(expected);
  });

  it.each([
    ["a cell that is not a number", "x1,x2\n1,2\n3,abc\n", /row 1: field `x2` must be a number, not the string "abc"/],
    ["an empty cell where a number belongs", "x1,x2\n1,\n", /row 0: field `x2` must be a number, not the string ""/],
    ["an unknown column", "x1,x2,x3\n1,2,3\n", /row 0: unknown field `x3` \(the model takes x1, x2\)/],
    ["a missing column", "x1\n1\n", /row 0: missing required field `x2`/],
    ["a row of the wrong length", "x1,x2\n1,2\n3\n", /row 1 has 1 values for 2 columns \(x1, x2\)/],
    ["a column named twice", "x1,x1\n1,2\n", /names column `x1` twice/],
    ["a quote that never ends", 'x1,x2\n1,2\n"3,4\n', /quoted value that never ends \(it opens on line 3\)/],
    ["no header", "\n", /The CSV body is empty: send a header row/],
  ])("answers 400 with MLflow's error_code for a CSV body with %s", async (_name, csv, message) => {
    const { status, body } = await postRaw("/invocations", csv, "text/csv");
    expect(status).toBe(400);
    expect(body).toMatchObject({ error_code: "BAD_REQUEST" });
    expect(body["message"]).toMatch(message);
  });

  describe("a batch bigger than a piece (read and validated a piece per turn of the event loop)", () => {
    const many = 9000; // 90 KB as JSON, 80 KB as CSV: more than a 64 KB piece
    const data = Array.from({ length: many }, (_, i) => [rows[i % 3]!.x1, rows[i % 3]!.x2]);
    const csv = ["x1,x2", ...data.map(([x1, x2]) => `${x1},${x2}`)].join("\n") + "\n";

    it.each([
      ["dataframe_split", () => post("/invocations", { dataframe_split: { columns: ["x1", "x2"], data } })],
      ["instances", () => post("/invocations", { instances: data.map(([x1, x2]) => ({ x1, x2 })) })],
      ["text/csv", () => postRaw("/invocations", csv, "text/csv")],
    ])("answers every row of %s, in order", async (_name, send) => {
      const { status, body } = await send();
      expect(status).toBe(200);
      const predictions = body["predictions"] as unknown[];
      const each = (expected as { predictions: unknown[] }).predictions;
      expect(predictions).toHaveLength(many);
      expect(predictions.every((p, i) => JSON.stringify(p) === JSON.stringify(each[i % 3]))).toBe(true);
    });

    it.each([
      [
        "a mistyped value",
        () => {
          const bad = data.map((row) => [...row]);
          bad[4321]![1] = "4" as unknown as number;
          return post("/invocations", { dataframe_split: { columns: ["x1", "x2"], data: bad } });
        },
        /^row 4321: field `x2` must be a number, not the string "4"/,
      ],
      [
        "a row of the wrong length",
        () => {
          const bad = data.map((row) => [...row]);
          bad[2500] = [1];
          return post("/invocations", { dataframe_split: { columns: ["x1", "x2"], data: bad } });
        },
        /^row 2500 has 1 values for 2 columns/,
      ],
      [
        "a CSV cell that is not a number",
        () => postRaw("/invocations", `${csv}abc,1\n`, "text/csv"),
        new RegExp(`^row ${many}: field \`x1\` must be a number, not the string "abc"`),
      ],
      [
        "a CSV row of the wrong length",
        () => postRaw("/invocations", `${csv}1\n`, "text/csv"),
        new RegExp(`^row ${many} has 1 values for 2 columns`),
      ],
      [
        "a CSV quote that never ends",
        () => postRaw("/invocations", `${csv}"1,2\n`, "text/csv"),
        new RegExp(`quoted value that never ends \\(it opens on line ${many + 2}\\)`),
      ],
    ])("names the row of %s as a whole-batch check would", async (_name, send, message) => {
      const { status, body } = await send();
      expect(status).toBe(400);
      expect(body).toMatchObject({ error_code: "BAD_REQUEST", error: "INVALID_REQUEST" });
      expect(body["message"]).toMatch(message);
    });
  });

  it("answers 415 to a body that is neither JSON nor CSV; /predict takes JSON only", async () => {
    const response = await postRaw("/invocations", "x1 x2\n1 2\n", "text/plain");
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({
      error: "UNSUPPORTED_MEDIA_TYPE",
      error_code: "BAD_REQUEST",
      message: "Send Content-Type: application/json or text/csv (got text/plain).",
    });
    const predict = await postRaw("/predict", "x1,x2\n1,2\n", "text/csv");
    expect(predict.status).toBe(415);
    expect(predict.body).toMatchObject({
      error: "UNSUPPORTED_MEDIA_TYPE",
      message: "Send Content-Type: application/json (got text/csv).",
    });
  });
});

describe("the numbers of an answer", () => {
  it("are the model's float32 outputs in their own digits, alike on /predict, /invocations and a streamed CSV", async () => {
    const opened = await openProjectRegistry({ cwd: project.root });
    const version = await resolveServedVersion(opened.registry, parseServedReference("train"));
    const model = await loadModelVersion(opened.registry, opened.root, version);
    await opened.close();
    const own = (await model.predict(rows)) as { probability: number }[];
    model.dispose();

    const texts = (body: string): string[] => [...body.matchAll(/"probability":(-?[\d.e+-]+)/g)].map((m) => m[1]!);
    const single = await Promise.all(
      rows.map(async (row) => (await server.app.inject({ method: "POST", url: "/predict", payload: row })).body),
    );
    const batch = await server.app.inject({ method: "POST", url: "/invocations", payload: { instances: rows } });
    const streamed = await server.app.inject({
      method: "POST",
      url: "/invocations",
      payload: "x1,x2\n" + rows.map((r) => `${r.x1},${r.x2}`).join("\n") + "\n",
      headers: { "content-type": "text/csv", accept: "application/x-ndjson" },
    });
    const fromPredict = single.flatMap(texts);
    expect(fromPredict).toHaveLength(rows.length);
    expect(texts(batch.body)).toEqual(fromPredict);
    expect(texts(streamed.body)).toEqual(fromPredict);
    fromPredict.forEach((text, i) => {
      // Read back as float32, the number is the model's own; in at most 9 significant digits, not a double's 17.
      expect(Math.fround(Number(text))).toBe(own[i]!.probability);
      expect(text.replace(/^0\.0*|\./g, "").length).toBeLessThanOrEqual(9);
    });
  });
});

describe("validation", () => {
  it.each([
    ["a missing field", { x1: 1 }, "x2", "/x2", /missing required field `x2`/],
    ["an extra field", { x1: 1, x2: 2, x3: 3 }, "x3", "/x3", /unknown field `x3` \(the model takes x1, x2\)/],
    [
      "a string where a number belongs",
      { x1: "1", x2: 2 },
      "x1",
      "/x1",
      /field `x1` must be a number, not the string "1"/,
    ],
    ["a boolean where a number belongs", { x1: true, x2: 2 }, "x1", "/x1", /must be a number, not boolean true/],
    ["null where a number belongs", { x1: null, x2: 2 }, "x1", "/x1", /must be a number, not null/],
    [
      "a mistyped field in a batch",
      { instances: [rows[0], { x1: 1, x2: [2] }] },
      "x2",
      "/instances/1/x2",
      /instances\[1\]: field `x2` must be a number, not an array/,
    ],
    [
      "a missing field in a batch",
      { instances: [{ x2: 1 }] },
      "x1",
      "/instances/0/x1",
      /instances\[0\]: missing required field `x1`/,
    ],
    ["a key next to instances", { instances: rows, limit: 2 }, "limit", "/limit", /unknown field `limit`/],
    [
      "instances that is not a list",
      { instances: { x1: 1, x2: 2 } },
      "instances",
      "/instances",
      /field `instances` must be an array/,
    ],
  ])("answers 400 naming the field for %s", async (_name, payload, field, path, message) => {
    const { status, body } = await post("/predict", payload);
    expect(status).toBe(400);
    expect(body).toMatchObject({ error: "INVALID_REQUEST", field, path });
    expect(body["message"]).toMatch(message);
  });

  it.each([
    ["NaN", '{"x1": NaN, "x2": 1}'],
    ["Infinity", '{"x1": Infinity, "x2": 1}'],
    ["a truncated body", '{"x1": 1, "x2"'],
    ["an empty body", ""],
  ])("answers 400 INVALID_JSON to %s", async (_name, payload) => {
    const { status, body } = await postRaw("/predict", payload);
    expect(status).toBe(400);
    expect(body["error"]).toBe("INVALID_JSON");
  });

  it("answers 400 to a number too big for a double (read as Infinity) and to a body that is not an object", async () => {
    expect(await postRaw("/predict", '{"x1": 1e400, "x2": 1}')).toMatchObject({ status: 400, body: { field: "x1" } });
    expect(await post("/predict", [rows[0]])).toMatchObject({
      status: 400,
      body: { message: "the request body must be an object, not an array" },
    });
  });

  it("answers 413 to a body over body_limit_bytes and keeps serving", async () => {
    const small = await ModelServer.open({ cwd: project.root, settings: { bodyLimitBytes: 1024 } });
    extraServers.push(small);
    await small.load();
    const big = { instances: Array.from({ length: 100 }, () => rows[0]) };
    const response = await post("/predict", big, small);
    expect(response.status).toBe(413);
    expect(response.body["message"]).toMatch(/limit of 1024 bytes.*body_limit_bytes/);
    expect((await post("/predict", rows[0], small)).status).toBe(200);
  });

  it("answers 405 naming the method a known route takes (curl -T uploads with PUT), and still 404 for an unknown one", async () => {
    const put = await server.app.inject({
      method: "PUT",
      url: "/invocations",
      payload: "x1,x2\n1,2\n",
      headers: { "content-type": "text/csv" },
    });
    expect(put.statusCode).toBe(405);
    expect(put.headers["allow"]).toBe("POST");
    expect(put.json()).toEqual({
      error: "METHOD_NOT_ALLOWED",
      message: "/invocations takes POST, not PUT (curl's -T sends PUT: add -X POST).",
    });
    const deleted = await server.app.inject({ method: "DELETE", url: "/health" });
    expect(deleted.statusCode).toBe(405);
    expect(deleted.json<{ message: string }>().message).toBe("/health takes GET, not DELETE.");
    expect((await server.app.inject({ method: "PUT", url: "/nowhere" })).statusCode).toBe(404);
  });

  it("answers 404 with a pointer to the docs for an unknown route", async () => {
    expect(await post("/predictions", rows[0])).toMatchObject({
      status: 404,
      body: { error: "NOT_FOUND", message: expect.stringContaining("/docs") as string },
    });
  });
});

describe("a failing predict function", () => {
  it("answers 500 with the model's message, fails only that request, and keeps serving", async () => {
    const [failing, donor] = await Promise.all([
      ModelServer.open({ cwd: project.root }),
      ModelServer.open({ cwd: project.root }),
    ]);
    extraServers.push(failing, donor);
    await Promise.all([failing.load(), donor.load()]);
    // The real model of another server, wrapped by a predict function that throws on one input.
    const real = donor.serving.slot.model!;
    const unlucky = (batch: readonly unknown[]) => {
      if (batch.some((row) => (row as { x1: number }).x1 === 13))
        throw new RangeError("x1 = 13 is out of the training range");
      return real.predict(batch);
    };
    await failing.serving.slot.swap(new ServedModel(real.version, unlucky, {}, real.source));
    const [ok, bad] = await Promise.all([
      post("/predict", rows[0], failing),
      post("/predict", { x1: 13, x2: 0 }, failing),
    ]);
    expect(ok.status).toBe(200);
    expect(bad).toMatchObject({
      status: 500,
      body: {
        error: "PREDICT_FAILED",
        message: "The model's predict function failed: x1 = 13 is out of the training range",
      },
    });
    expect((await post("/predict", rows[1], failing)).status).toBe(200);
  });
});

describe("GET /model, /ping, /version", () => {
  it("describes the served version", async () => {
    const model = (await get("/model")).json<Record<string, unknown>>();
    expect(model).toMatchObject({
      name: "train",
      version: 1,
      reference: "train (@champion, else its latest version)",
      runId: expect.any(String) as string,
      metrics: { accuracy: expect.any(Number) as number },
      inputSchema: { required: ["x1", "x2"] },
      outputSchema: { properties: { label: { enum: [0, 1] } } },
      trainingDataDigest: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      classField: "label",
      predictSource: "pipelines/train/pipeline.ts",
      numTensors: expect.any(Number) as number,
    });
  });

  it("answers MLflow's /ping and /version", async () => {
    const ping = await get("/ping");
    expect(ping.statusCode).toBe(200);
    expect(ping.body).toBe("\n");
    expect((await get("/version")).body).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe("GET /metrics", () => {
  it("is a Prometheus exposition that parses, with requests, latency, batches, predictions by class and tensors", async () => {
    await post("/predict", { instances: rows });
    await post("/predict", { x1: "bad" });
    const response = await get("/metrics");
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    const exposition = parseExposition(response.body);
    expect(exposition.types.get("cellforge_http_requests_total")).toBe("counter");
    expect(exposition.types.get("cellforge_http_request_duration_seconds")).toBe("histogram");
    expect(
      sampleValue(exposition, "cellforge_http_requests_total", { route: "/predict", method: "POST", status: "200" }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(exposition, "cellforge_http_requests_total", { route: "/predict", status: "400" }),
    ).toBeGreaterThan(0);
    expect(
      sampleValue(exposition, "cellforge_http_request_duration_seconds_count", { route: "/predict" }),
    ).toBeGreaterThan(0);
    expect(sampleValue(exposition, "cellforge_batch_size_rows_count")).toBeGreaterThan(0);
    const byClass = exposition.samples.filter((s) => s.name === "cellforge_predictions_total");
    expect(byClass.length).toBeGreaterThan(0);
    expect(byClass.every((s) => ["0", "1"].includes(s.labels["class"]!))).toBe(true);
    expect(sampleValue(exposition, "cellforge_model_info", { name: "train", version: "1" })).toBe(1);
    expect(sampleValue(exposition, "cellforge_tensors")).toBeGreaterThan(0);
    expect(sampleValue(exposition, "process_resident_memory_bytes")).toBeGreaterThan(0);
    // Histogram buckets are cumulative.
    const buckets = exposition.samples.filter((s) => s.name === "cellforge_batch_size_rows_bucket").map((s) => s.value);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  });
});

describe("API docs", () => {
  it("serves an OpenAPI 3.1 document listing the routes, with the model's schemas as components", async () => {
    const doc = (await get("/openapi.json")).json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual([
      "/admin/reload",
      "/health",
      "/invocations",
      "/metrics",
      "/model",
      "/ping",
      "/predict",
      "/ready",
      "/version",
    ]);
    expect(doc.components.schemas["PredictionRequest"]).toMatchObject({
      properties: { x1: { type: "number" }, x2: { type: "number" } },
      additionalProperties: false,
    });
    expect(doc.components.schemas["Prediction"]).toMatchObject({ properties: { label: { enum: [0, 1] } } });
    const predictBody = JSON.stringify(doc.paths["/predict"]!["post"]);
    expect(predictBody).toContain("#/components/schemas/PredictionRequest");
    expect(predictBody).toContain('"oneOf"');
    const invocations = doc.paths["/invocations"]!["post"] as {
      requestBody: { content: Record<string, { schema: unknown }> };
    };
    expect(Object.keys(invocations.requestBody.content).sort()).toEqual(["application/json", "text/csv"]);
    expect(JSON.stringify(invocations.requestBody.content["application/json"])).toContain("dataframe_split");
    expect(invocations.requestBody.content["text/csv"]!.schema).toMatchObject({
      type: "string",
      description: expect.stringContaining("x1, x2") as unknown,
    });
  });

  it("serves Swagger UI at /docs", async () => {
    const page = await get("/docs");
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.body).toContain("swagger");
  });
});

describe("POST /admin/reload", () => {
  it("is not there without an admin token", async () => {
    const plain = await ModelServer.open({ cwd: project.root });
    extraServers.push(plain);
    expect((await post("/admin/reload", {}, plain)).status).toBe(404);
  });

  it("answers 401 without a token, 403 with a wrong one, and reloads with the right one", async () => {
    expect((await server.app.inject({ method: "POST", url: "/admin/reload" })).statusCode).toBe(401);
    expect(
      (await server.app.inject({ method: "POST", url: "/admin/reload", headers: { authorization: "Bearer guess" } }))
        .statusCode,
    ).toBe(403);
    const ok = await server.app.inject({
      method: "POST",
      url: "/admin/reload",
      headers: { authorization: "Bearer s3cret" },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ reloaded: false, from: "train:1", to: "train:1" });
  });
});
