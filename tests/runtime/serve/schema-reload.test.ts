// A reload, without restart, to a version registered with new predict code and another request and response
// schema, while clients send requests of both schemas continuously on a real socket.
//
// The rule a client sees: a request is validated, predicted and answered by the version served when its body
// had arrived, named in its Model-Version header. A request sent just before the swap but received after it
// meets the new schema; one received before it finishes on the old version, even if the old version is
// swapped out meanwhile. So no request fails: each is answered 200 by the version whose schema it matches, or
// refused 400 (naming the field) by a version whose schema it does not match.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../../../runtime/serve/model-server.ts";
import { openProjectRegistry } from "../../../runtime/stores/project-stores.ts";
import type { FixtureProject } from "../fixture-project.ts";
import { registeredProject } from "./registered-model.ts";

let project: FixtureProject;
let server: ModelServer;

beforeAll(async () => {
  project = await registeredProject();
  const opened = await openProjectRegistry({ cwd: project.root });
  await opened.registry.promote("train", 1, "champion");
  await opened.close();
  server = await startModelServer({ cwd: project.root, adminToken: "s3cret", settings: { port: 0 } });
});

afterAll(async () => {
  await server.close();
  project.remove();
});

/** Edits the fixture pipeline as a user edits the notebook: records need `x3` too, and each prediction says which code made it. */
function editPredictCode(): void {
  const nodes = join(project.root, "pipelines/train/nodes.ts");
  project.write(
    "pipelines/train/nodes.ts",
    `${readFileSync(nodes, "utf8")}
/** The serving function of the edited notebook: x3 is required and shifts nothing; each answer names its code. */
export function createPredictorWithX3(artifacts: { model: tf.LayersModel; scaler: Scaler }) {
  const predict = createPredictor(artifacts);
  return (rows: { x1: number; x2: number; x3: number }[]) =>
    predict(rows.map(({ x1, x2 }) => ({ x1, x2 }))).map((p) => ({ ...p, code: "edited" }));
}
`,
  );
  const pipeline = join(project.root, "pipelines/train/pipeline.ts");
  const text = readFileSync(pipeline, "utf8")
    .replace("import { createPredictor,", "import { createPredictorWithX3,")
    .replace("create: createPredictor,", "create: createPredictorWithX3,")
    .replace(
      'properties: { x1: { type: "number" }, x2: { type: "number" } },\n      required: ["x1", "x2"],',
      'properties: { x1: { type: "number" }, x2: { type: "number" }, x3: { type: "number" } },\n      required: ["x1", "x2", "x3"],',
    )
    .replace(
      'probability: { type: "number" } },\n      required: ["label", "probability"],',
      'probability: { type: "number" }, code: { type: "string" } },\n      required: ["label", "probability", "code"],',
    )
    .replace('codeHash: "predict-v1"', 'codeHash: "predict-v2"');
  expect(text).toContain("x3");
  expect(text).toContain("predict-v2");
  project.write("pipelines/train/pipeline.ts", text);
}

type Shape = "old" | "new";

interface Answer {
  loop: number;
  shape: Shape;
  path: string;
  status: number;
  version: string | null;
  body: Record<string, unknown>;
}

const record = (i: number, shape: Shape) =>
  shape === "old" ? { x1: Math.sin(i), x2: Math.cos(i) } : { x1: Math.sin(i), x2: Math.cos(i), x3: i % 7 };

/** Request `i` of a client: single records and 200-row /invocations batches, of the old and the new schema. */
function request(i: number): { shape: Shape; path: string; body: unknown } {
  const shape: Shape = i % 2 === 0 ? "old" : "new";
  if (i % 5 === 0)
    return {
      shape,
      path: "/invocations",
      body: { dataframe_records: Array.from({ length: 200 }, (_, j) => record(i + j, shape)) },
    };
  return { shape, path: "/predict", body: record(i, shape) };
}

/** `connections` clients sending requests one after another until `stop()`; every answer and network error is kept. */
function traffic(connections: number) {
  const answers: Answer[] = [];
  const errors: unknown[] = [];
  let running = true;
  let sent = 0;
  const loops = Array.from({ length: connections }, async (_, loop) => {
    while (running) {
      const { shape, path, body } = request(sent++);
      try {
        const response = await fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        const answer = (await response.json()) as Record<string, unknown>;
        answers.push({
          loop,
          shape,
          path,
          status: response.status,
          version: response.headers.get("model-version"),
          body: answer,
        });
      } catch (error) {
        errors.push(error);
      }
    }
  });
  return {
    answers,
    errors,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The predictions of an answer: one for /predict, the list for /invocations. */
const predictionsOf = (answer: Answer): Record<string, unknown>[] =>
  answer.path === "/predict" ? [answer.body] : (answer.body["predictions"] as Record<string, unknown>[]);

describe("a reload to new predict code with another schema, under traffic", () => {
  it("serves the new code without restart and fails no request: each is answered by the version served when it arrived", async () => {
    editPredictCode();
    const run = await project.cli(["run", "train"]);
    expect(run.code, run.stderr).toBe(0);

    const load = traffic(8);
    const opened = await openProjectRegistry({ cwd: project.root });
    try {
      await pause(1_000);
      // Forced: the registry refuses a breaking promotion unless told the clients know.
      await opened.registry.promote("train", 2, "champion", { force: true });
      const reload = await fetch(`${server.url}/admin/reload`, {
        method: "POST",
        headers: { authorization: "Bearer s3cret" },
      });
      expect(await reload.json()).toMatchObject({ reloaded: true, from: "train:1", to: "train:2" });
      await pause(1_000);
    } finally {
      await load.stop();
      await opened.close();
    }

    expect(load.errors).toEqual([]);
    const { answers } = load;
    for (const answer of answers) {
      expect([200, 400]).toContain(answer.status);
      expect(["train:1", "train:2"]).toContain(answer.version);
      const matches = (answer.shape === "old") === (answer.version === "train:1");
      if (answer.status === 200) {
        // Answered only by the version whose schema the request matches, with that version's code.
        expect(matches).toBe(true);
        for (const prediction of predictionsOf(answer)) {
          if (answer.version === "train:2") expect(prediction).toMatchObject({ code: "edited" });
          else expect(prediction).not.toHaveProperty("code");
        }
      } else {
        expect(matches).toBe(false);
        expect(String(answer.body["message"])).toMatch(/x3/);
      }
    }
    // Each client sends a request once the previous one is answered, so the version it meets never goes back.
    for (let loop = 0; loop < 8; loop++) {
      const versions = answers.filter((a) => a.loop === loop).map((a) => a.version);
      const swapped = versions.indexOf("train:2");
      if (swapped !== -1) expect(versions.slice(swapped)).not.toContain("train:1");
    }
    const count = (version: string, status: number, path: string) =>
      answers.filter((a) => a.version === version && a.status === status && a.path === path).length;
    for (const version of ["train:1", "train:2"])
      for (const path of ["/predict", "/invocations"]) {
        expect(count(version, 200, path)).toBeGreaterThan(0);
        expect(count(version, 400, path)).toBeGreaterThan(0);
      }

    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      components: { schemas: Record<string, { required?: string[] }> };
    };
    expect(document.components.schemas["PredictionRequest"]!.required).toContain("x3");
    expect(document.components.schemas["Prediction"]!.required).toContain("code");
  });
});
