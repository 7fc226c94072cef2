// The runs table of a project with two pipelines, through app.inject(): one view per pipeline (the served one by default),
// its key metrics before its parameters, no other pipeline's parameters, a column chooser, list parameters that wrap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelServer } from "../../../runtime/serve/model-server.ts";
import { mountUi } from "../../../runtime/ui/mount.ts";
import { runSession } from "../../../runtime/session/run-session.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
let server: ModelServer;
let trainRun: string;
let weightRuns: string[];

beforeAll(async () => {
  process.env["CELLFORGE_TF_BACKEND"] = "wasm";
  project = createProject(["train", "weight"]);
  const quiet = { cwd: project.root, write: () => undefined };
  trainRun = (await runSession({ ...quiet, pipeline: "train" })).run.id;
  weightRuns = [];
  for (const epochs of [3, 5])
    weightRuns.push(
      (await runSession({ ...quiet, pipeline: "weight", params: [{ path: ["epochs"], value: epochs }] })).run.id,
    );
  server = await ModelServer.open({ cwd: project.root, mounts: [mountUi] });
  await server.load();
}, 120_000);

afterAll(async () => {
  await server.close();
  project.remove();
});

async function page(url: string): Promise<string> {
  const response = await server.app.inject({ method: "GET", url });
  expect(response.statusCode).toBe(200);
  return response.body;
}

const runLinks = (html: string): string[] =>
  [...html.matchAll(/class="run-link" href="\/ui\/runs\/([0-9a-f]+)"/g)].map((m) => m[1]!);
const headers = (html: string): string[] => [...html.matchAll(/<th scope="col" data-col="([^"]+)"/g)].map((m) => m[1]!);

describe("runs of several pipelines", () => {
  it("show the served pipeline's runs by default, with a tab per pipeline and one for all", async () => {
    const html = await page("/ui");
    expect(runLinks(html)).toEqual([trainRun]);
    expect(html).toMatch(/<nav class="tabs" aria-label="Pipelines">/);
    expect(html).toMatch(/<a href="\?pipeline=train" aria-current="page">train <span class="count">1<\/span><\/a>/);
    expect(html).toContain('<a href="?pipeline=weight">weight <span class="count">2</span></a>');
    expect(html).toContain('<a href="?pipeline=">All pipelines <span class="count">3</span></a>');
    // weight's parameters are not train's columns
    expect(headers(html)).not.toContain("params.layers");
  });

  it("put a pipeline's metrics first, in the order its notebook declares them, then its parameters", async () => {
    const cols = headers(await page("/ui?pipeline=weight"));
    expect(cols.filter((c) => c.startsWith("metrics.") || c.startsWith("params."))).toEqual([
      "metrics.rmse",
      "metrics.mae",
      "params.batchSize",
      "params.dropout",
      "params.epochs",
      "params.layers",
      "params.optimizer",
    ]);
  });

  it("show the parameters that differ, and offer the others in a column chooser remembered per pipeline", async () => {
    const html = await page("/ui?pipeline=weight");
    expect(runLinks(html).sort()).toEqual([...weightRuns].sort());
    expect(html).toContain('<th scope="col" data-col="params.epochs" class="num">');
    expect(html).toContain('<th scope="col" data-col="params.dropout" class="num" hidden>');
    expect(html).toMatch(/<details class="column-chooser" data-storage-key="cellforge.runs.columns.weight" hidden>/);
    expect(html).toContain('<input type="checkbox" value="params.dropout"> dropout');
    expect(html).toContain('<input type="checkbox" value="metrics.rmse" checked> rmse');
  });

  it("wrap a list parameter instead of widening its cell", async () => {
    const html = await page("/ui?pipeline=weight");
    expect(html).toContain(
      '<td class="num wrap" data-col="params.layers" hidden><div class="wrap">[256, 128, 64, 32, 16, 8, 4, 2, 1024, 512, 256, 128, 64, 32, 16, 8]</div></td>',
    );
    const run = await page(`/ui/runs/${weightRuns[0]!}`);
    expect(run).toContain("[256, 128, 64, 32, 16, 8, 4, 2, 1024");
  });

  it("show every pipeline's runs, with a pipeline column and metrics but no parameters, on the 'All pipelines' tab; the page uses the full width", async () => {
    const html = await page("/ui?pipeline=");
    expect(runLinks(html)).toHaveLength(3);
    expect(headers(html)).toContain("pipeline");
    expect(headers(html).filter((c) => c.startsWith("params."))).toEqual([]);
    expect(headers(html)).toEqual(expect.arrayContaining(["metrics.accuracy", "metrics.rmse"]));
    expect(html).toContain("Choose a pipeline to see its parameters.");
    expect(html).toContain('<main id="main" tabindex="-1" class="wide">');
  });

  it("keep the pipeline when sorting and filtering", async () => {
    const html = await page("/ui?pipeline=weight&sort=params.epochs&order=asc");
    expect(runLinks(html)).toEqual(weightRuns);
    expect(html).toContain('<input type="hidden" name="pipeline" value="weight">');
    expect(html).toContain('href="?pipeline=weight&amp;sort=params.epochs&amp;order=desc"');
  });
});
