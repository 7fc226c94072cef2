// A swap to a version with another request and response schema, on a real socket: validation, answers and
// /openapi.json follow the served version.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelServer } from "../../../runtime/serve/model-server.ts";
import { ServedModel } from "../../../runtime/serve/served-model.ts";
import type { FixtureProject } from "../fixture-project.ts";
import { registeredProject } from "./registered-model.ts";

let project: FixtureProject;
let server: ModelServer;
let url: string;

beforeAll(async () => {
  project = await registeredProject();
  server = await ModelServer.open({ cwd: project.root, settings: { port: 0, host: "127.0.0.1" } });
  url = await server.listen();
  await server.load();
});

afterAll(async () => {
  await server.close();
  project.remove();
});

const post = async (body: unknown) => {
  const response = await fetch(`${url}/predict`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** A version whose records also need `x3`, answering `{score}`; its predict waits `ms` before answering. */
function widerVersion(ms: number): ServedModel {
  const current = server.serving.slot.model!.version;
  const inputSchema = {
    type: "object",
    properties: { x1: { type: "number" }, x2: { type: "number" }, x3: { type: "number" } },
    required: ["x1", "x2", "x3"],
    additionalProperties: false,
  };
  const outputSchema = { type: "object", properties: { score: { type: "number" } }, required: ["score"] };
  const predict = async (rows: readonly unknown[]) => {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return rows.map((row) => ({ score: (row as { x3: number }).x3 * 2 }));
  };
  return new ServedModel({ ...current, version: current.version + 1, inputSchema, outputSchema }, predict, {}, "test");
}

describe("a swap to a version with another schema", () => {
  it("validates and answers with the served version's schemas, and documents them in /openapi.json", async () => {
    const old = { x1: 0.5, x2: -0.5 };
    const before = await post(old);
    expect(before.status).toBe(200);

    await server.serving.slot.swap(widerVersion(20));

    const refused = await post(old);
    expect(refused.status).toBe(400);
    expect(String(refused.body["message"])).toMatch(/x3/);
    expect(await post({ ...old, x3: 2 })).toEqual({ status: 200, body: { score: 4 } });
    const batch = await post({ instances: [{ ...old, x3: 1 }] });
    expect(batch).toEqual({ status: 200, body: { predictions: [{ score: 2 }] } });

    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(document.components.schemas["PredictionRequest"]!.properties!)).toContain("x3");
    expect(Object.keys(document.components.schemas["Prediction"]!.properties!)).toEqual(["score"]);
  });
});
