// Hostile and extreme requests through app.inject() (issue 24): CSV headers with many columns, bodies with more rows
// than the queue takes, inputs that make the model output NaN, bodies of the wrong shape, and the headers every answer carries.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelServer } from "../../../runtime/serve/model-server.ts";
import type { FixtureProject } from "../fixture-project.ts";
import { registeredProject } from "./registered-model.ts";

let project: FixtureProject;
let server: ModelServer;
const extraServers: ModelServer[] = [];

beforeAll(async () => {
  project = await registeredProject();
  server = await ModelServer.open({ cwd: project.root, settings: { maxQueueRows: 200 } });
  await server.load();
});

afterAll(async () => {
  await Promise.all([server, ...extraServers].map((s) => s.close()));
  project.remove();
});

async function post(url: string, payload: string, contentType = "application/json", target: ModelServer = server) {
  const response = await target.app.inject({ method: "POST", url, payload, headers: { "content-type": contentType } });
  return { status: response.statusCode, headers: response.headers, body: response.json<Record<string, unknown>>() };
}

describe("a CSV header with many columns", () => {
  it("is refused at once with 413 naming the column limit, before any row is read", async () => {
    const header = Array.from({ length: 40_000 }, (_, i) => `c${i}`).join(",");
    const answer = await post("/invocations", `${header}\n${"1,".repeat(39_999)}1\n`, "text/csv");
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: "TOO_MANY_COLUMNS", error_code: "BAD_REQUEST" });
    expect(answer.body["message"]).toMatch(/40000 columns.*at most \d+/);
  });

  it("still names a column given twice", async () => {
    const answer = await post("/invocations", "x1,x2,x1\n1,2,3\n", "text/csv");
    expect(answer).toMatchObject({ status: 400, body: { message: "The CSV header names column `x1` twice." } });
  });
});

describe("a request with more rows than max_queue_rows", () => {
  it("is refused with 413 while a CSV body is parsed, even into an empty queue", async () => {
    const csv = `x1,x2\n${"1,2\n".repeat(500)}`;
    const answer = await post("/invocations", csv, "text/csv");
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ error: "TOO_MANY_ROWS" });
    expect(answer.body["message"]).toMatch(/more than 200 rows.*max_queue_rows/);
  });

  it("is refused with 413 for JSON instances too, and a request at the limit is served", async () => {
    const rows = (n: number) => JSON.stringify({ instances: Array.from({ length: n }, () => ({ x1: 1, x2: 2 })) });
    expect((await post("/predict", rows(201))).body).toMatchObject({ error: "TOO_MANY_ROWS" });
    expect((await post("/predict", rows(201))).status).toBe(413);
    expect((await post("/invocations", rows(201))).status).toBe(413);
    expect((await post("/predict", rows(200))).status).toBe(200);
  });
});

describe("inputs that make the model output NaN", () => {
  it("are answered 422 in the documented error shape on /predict, not a 500 from the success serializer", async () => {
    const answer = await post("/predict", JSON.stringify({ x1: 1e300, x2: -1e300 }));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: "NON_FINITE_PREDICTION" });
    expect(answer.body["message"]).toMatch(/NaN|Infinity/);
    expect(answer.body["message"]).toMatch(/row 0/);
  });

  it("are answered 422 with MLflow's error_code on /invocations, and the rows batched with them still succeed", async () => {
    const answer = await post(
      "/invocations",
      JSON.stringify({
        instances: [
          { x1: 1, x2: 2 },
          { x1: 1e300, x2: 1 },
        ],
      }),
    );
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: "NON_FINITE_PREDICTION", error_code: "INVALID_PARAMETER_VALUE" });
    expect(answer.body["message"]).toMatch(/row 1/);
    const [good, bad] = await Promise.all([
      post("/predict", JSON.stringify({ x1: 1, x2: 2 })),
      post("/predict", JSON.stringify({ x1: 1e300, x2: 0 })),
    ]);
    expect([good.status, bad.status]).toEqual([200, 422]);
  });
});

describe("bodies of the wrong shape", () => {
  it("answers a JSON string on /invocations with 400 listing the accepted shapes, not as CSV", async () => {
    const answer = await post("/invocations", JSON.stringify("x1,x2\n1,2"));
    expect(answer.status).toBe(400);
    expect(answer.body["message"]).toMatch(/dataframe_split/);
    expect(answer.body["message"]).toMatch(/a string/);
    expect(answer.body["message"]).not.toMatch(/CSV header|column/);
  });

  it("names a __proto__ key as such, not as NaN or Infinity", async () => {
    const answer = await post("/predict", '{"x1": 1, "x2": 2, "__proto__": {"polluted": true}}');
    expect(answer.status).toBe(400);
    expect(answer.body["message"]).toMatch(/__proto__/);
    expect(answer.body["message"]).not.toMatch(/NaN|Infinity/);
  });

  it("keeps a __proto__ column of a CSV body a column (refused as unknown), never an object's prototype", async () => {
    const answer = await post("/invocations", "x1,x2,__proto__\n1,2,3\n", "text/csv");
    expect(answer.status).toBe(400);
    expect(answer.body["message"]).toMatch(/__proto__/);
  });
});

describe("headers", () => {
  it("gives /predict's 200 a JSON content type", async () => {
    const answer = await post("/predict", JSON.stringify({ x1: 1, x2: 2 }));
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    const batch = await post("/predict", JSON.stringify({ instances: [{ x1: 1, x2: 2 }] }));
    expect(batch.headers["content-type"]).toBe("application/json; charset=utf-8");
  });

  it("sends conservative security headers on the JSON API and /docs", async () => {
    for (const response of [
      await server.app.inject({ method: "POST", url: "/predict", payload: { x1: 1, x2: 2 } }),
      await server.app.inject({ method: "GET", url: "/health" }),
      await server.app.inject({ method: "GET", url: "/nowhere" }),
      await server.app.inject({ method: "GET", url: "/docs/" }),
      await server.app.inject({ method: "GET", url: "/docs/static/index.html" }),
    ]) {
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["x-frame-options"]).toBe("DENY");
      expect(response.headers["referrer-policy"]).toBe("same-origin");
      expect(String(response.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
    }
  });
});

describe("the admin token", () => {
  it("matches when it was set with surrounding spaces (it is trimmed)", async () => {
    const spaced = await ModelServer.open({ cwd: project.root, adminToken: "  s3cret \n" });
    extraServers.push(spaced);
    await spaced.load();
    const response = await spaced.app.inject({
      method: "POST",
      url: "/admin/reload",
      headers: { authorization: "Bearer s3cret" },
    });
    expect(response.statusCode).toBe(200);
  });
});

describe("a client that dribbles its body", () => {
  it("is answered 408 and disconnected after request_timeout_ms, and the server keeps serving", async () => {
    const timed = await ModelServer.open({ cwd: project.root, settings: { port: 0, requestTimeoutMs: 500 } });
    extraServers.push(timed);
    const url = new URL(await timed.listen());
    await timed.load();
    const socket = connect(Number(url.port), url.hostname);
    const started = performance.now();
    const answer = await new Promise<string>((resolve) => {
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("close", () => resolve(received));
      socket.write(
        'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"x1": 1',
      );
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(performance.now() - started).toBeLessThan(4_000);
    const response = await fetch(new URL("/predict", url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ x1: 1, x2: 2 }),
    });
    expect(response.status).toBe(200);
  }, 15_000);
});
