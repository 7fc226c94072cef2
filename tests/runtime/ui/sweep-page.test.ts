// The sweep page through app.inject(), on a real SQLite store: the runs of one sweep ranked by a metric, a scatter per
// swept parameter, the best run highlighted, other runs left out, and the runs table linking to it.
import Fastify, { type FastifyInstance } from "fastify";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import { uiPlugin } from "../../../runtime/ui/plugin.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
let app: FastifyInstance;
const ids: Record<string, string> = {};

beforeAll(async () => {
  project = createProject(["train"]);
  const store = SqliteTrackingStore.open(join(project.root, ".cellforge/tracking.db"));
  const sweepTags = { "cellforge.sweep": "sweep-1", "cellforge.sweep.params": '["learning_rate","epochs"]' };
  const configurations = [
    { name: "a", learning_rate: 0.01, epochs: 2, testLoss: 0.5 },
    { name: "b", learning_rate: 0.05, epochs: 2, testLoss: 0.2 },
    { name: "c", learning_rate: 0.01, epochs: 3, testLoss: 0.4 },
    { name: "outside", learning_rate: 0.1, epochs: 9, testLoss: 0.01 },
  ];
  for (const c of configurations) {
    const run = await store.createRun({
      experiment: "train",
      pipeline: "train",
      params: { learning_rate: c.learning_rate, epochs: c.epochs, seed: 42, test_fraction: 0.25 },
      tags: c.name === "outside" ? {} : sweepTags,
      gitCommit: undefined,
      gitDirty: undefined,
      process: { pid: process.pid, host: "test", start: undefined },
    });
    await store.logMetric(run.id, "testLoss", c.testLoss);
    await store.logMetric(run.id, "accuracy", 1 - c.testLoss);
    await store.endRun(run.id, "FINISHED");
    ids[c.name] = run.id;
  }
  await store.close();
  app = Fastify();
  await app.register(uiPlugin, { root: project.root, env: "local", adminToken: undefined, prefix: "/ui" });
});

afterAll(async () => {
  await app.close();
  project.remove();
});

async function page(url: string): Promise<{ status: number; body: string }> {
  const response = await app.inject({ method: "GET", url });
  return { status: response.statusCode, body: response.body };
}

describe("the sweep page", () => {
  it("ranks the sweep's runs by the chosen metric, highlights the best and plots the metric against each swept parameter", async () => {
    const { status, body } = await page("/ui/sweeps/sweep-1?metric=testLoss&order=min");
    expect(status).toBe(200);
    const order = [...body.matchAll(/class="run-link" href="\/ui\/runs\/([0-9a-f]+)"/g)].map((m) => m[1]);
    expect(order).toEqual([ids["b"], ids["c"], ids["a"]]);
    expect(body).toMatch(
      new RegExp(`<tr class="best">\\s*<td class="num">1</td>\\s*<td><a class="run-link" href="/ui/runs/${ids["b"]}"`),
    );
    expect(body).toContain('aria-label="testLoss against learning_rate"');
    expect(body).toContain('aria-label="testLoss against epochs"');
    expect([...body.matchAll(/<circle class="dot best"/g)]).toHaveLength(2);
    expect([...body.matchAll(/<circle class="dot"/g)]).toHaveLength(4);
    // No inline script under the UI's strict CSP.
    expect(body).not.toMatch(/<script(?![^>]*type="application\/json")(?![^>]*src=)/);

    const maximized = await page("/ui/sweeps/sweep-1?metric=accuracy&order=max");
    expect(maximized.body).toMatch(
      new RegExp(`<tr class="best">\\s*<td class="num">1</td>\\s*<td><a class="run-link" href="/ui/runs/${ids["b"]}"`),
    );
  });

  it("without a choice, ranks by the metric the pipeline declares first, in the direction its name tells", async () => {
    const { body } = await page("/ui/sweeps/sweep-1");
    const order = [...body.matchAll(/class="run-link" href="\/ui\/runs\/([0-9a-f]+)"/g)].map((m) => m[1]);
    // accuracy (declared before testLoss): 0.8, 0.6, 0.5, highest first.
    expect(order).toEqual([ids["b"], ids["c"], ids["a"]]);
    expect(body).toContain("accuracy 0.8 (highest)");
    // Switching to testLoss offers it lowest first, as its name tells.
    expect(body).toContain('href="?metric=testLoss&amp;order=min"');
  });

  it("the sweeps page lists each sweep with its pipeline, runs and best metrics, linked from the navigation", async () => {
    const { status, body } = await page("/ui/sweeps");
    expect(status).toBe(200);
    expect(body).toMatch(/<a href="\/ui\/sweeps"[^>]*>Sweeps<\/a>/);
    const rows = [...body.matchAll(/<tr>\s*<td><a class="sweep-link" href="\/ui\/sweeps\/([^"]+)">/g)].map((m) => m[1]);
    expect(rows).toEqual(["sweep-1"]);
    // 3 runs (the run outside the sweep is not counted), ranked by accuracy, the first metric: 0.5 lowest, 0.8 highest.
    expect(body).toMatch(/<td>train<\/td>/);
    expect(body).toMatch(/<td class="num">3<\/td>\s*<td>accuracy<\/td>/);
    expect(body).toContain('href="/ui/sweeps/sweep-1?metric=accuracy&amp;order=min">0.5</a>');
    expect(body).toContain('href="/ui/sweeps/sweep-1?metric=accuracy&amp;order=max">0.8</a>');
  });

  it("is linked from the runs table, and an unknown sweep is a 404 saying so", async () => {
    const runs = await page("/ui/runs?pipeline=train");
    expect([...runs.body.matchAll(/href="\/ui\/sweeps\/sweep-1">sweep</g)]).toHaveLength(3);
    const missing = await page("/ui/sweeps/sweep-nope");
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("No run is tagged with sweep sweep-nope.");
  });
});
