// The web UI's pages and JSON routes through app.inject(), on a real project: two tracked runs of the fixture
// `train` pipeline, their registered versions, a real SQLite store and the prediction server the UI is mounted in.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../../runtime/catalog/digest.ts";
import { ModelServer } from "../../../runtime/serve/model-server.ts";
import { mountUi } from "../../../runtime/ui/mount.ts";
import { runSession } from "../../../runtime/session/run-session.ts";
import { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
let server: ModelServer;
let first: string;
let second: string;
const matrixPath = "data/08_reporting/confusionMatrix.json";

beforeAll(async () => {
  process.env["CELLFORGE_TF_BACKEND"] = "wasm";
  project = createProject(["train"]);
  const quiet = { cwd: project.root, pipeline: "train", write: () => undefined };
  first = (await runSession({ ...quiet, tags: { note: "<script>alert('tag')</script>" } })).run.id;
  second = (await runSession({ ...quiet, params: [{ path: ["epochs"], value: 8 }] })).run.id;
  // The train notebook saves its confusion matrix as a JSON dataset; record one for the first run as the tracker does.
  const text = JSON.stringify({ "<zero>": { "<zero>": 9, one: 1 }, one: { one: 7 } });
  project.write(matrixPath, text);
  const store = SqliteTrackingStore.open(join(project.root, ".cellforge/tracking.db"));
  await store.logArtifact(first, {
    path: matrixPath,
    sha256: sha256(text),
    size: text.length,
    dataset: "confusionMatrix",
  });
  await store.close();
  server = await ModelServer.open({ cwd: project.root, adminToken: "s3cret", mounts: [mountUi] });
  await server.load();
}, 120_000);

afterAll(async () => {
  await server.close();
  project.remove();
});

async function page(
  url: string,
  target: ModelServer = server,
): Promise<{ status: number; html: string; headers: Record<string, unknown> }> {
  const response = await target.app.inject({ method: "GET", url });
  return { status: response.statusCode, html: response.body, headers: response.headers };
}

async function promote(
  body: unknown,
  headers: Record<string, string>,
  alias = "champion",
  target: ModelServer = server,
) {
  // As the page's form does: the CSRF token of the models page's cookie, sent back in a header.
  const models = await target.app.inject({ method: "GET", url: "/ui/models" });
  const cookie = String(models.headers["set-cookie"]).split(";")[0]!;
  const token = /data-csrf="([^"]+)"/.exec(models.body)?.[1] ?? "";
  const response = await target.app.inject({
    method: "POST",
    url: `/ui/api/models/train/aliases/${alias}`,
    payload: JSON.stringify(body),
    headers: { "content-type": "application/json", cookie, "x-csrf-token": token, ...headers },
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

const runLinks = (html: string): string[] =>
  [...html.matchAll(/class="run-link" href="\/ui\/runs\/([0-9a-f]+)"/g)].map((m) => m[1]!);

describe("runs table", () => {
  it("lists the runs newest first, with the parameters that differ and the metrics as columns, and a strict content policy", async () => {
    const { status, html, headers } = await page("/ui");
    expect(status).toBe(200);
    expect(headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(headers["content-security-policy"]).toContain("script-src 'self'");
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(runLinks(html)).toEqual([second, first]);
    expect(html).toContain('<span class="col-kind">param</span> epochs');
    expect(html).not.toContain("</span> learning_rate</a>"); // the same in both runs: no column
    expect(html).toContain(">accuracy<");
    expect(html).toContain('href="/ui/models#train-2">train:2</a>');
    expect(html).toContain('aria-sort="descending"');
  });

  it("sorts by any column, both ways", async () => {
    expect(runLinks((await page("/ui?sort=params.epochs&order=asc")).html)).toEqual([first, second]);
    expect(runLinks((await page("/ui?sort=params.epochs&order=desc")).html)).toEqual([second, first]);
    expect((await page("/ui?sort=params.epochs&order=asc")).html).toMatch(
      /aria-sort="ascending"><a href="\?pipeline=train&amp;sort=params.epochs&amp;order=desc">/,
    );
  });

  it("filters with the runs-list syntax, and explains a filter it cannot read", async () => {
    const filtered = await page(`/ui?filter=${encodeURIComponent("params.epochs > 5 and status = FINISHED")}`);
    expect(runLinks(filtered.html)).toEqual([second]);
    expect(filtered.html).toContain("1 of 2 runs match <code>params.epochs &gt; 5 and status = FINISHED</code>");
    const bad = await page(`/ui?filter=${encodeURIComponent("epochs is big")}`);
    expect(bad.status).toBe(400);
    expect(bad.html).toMatch(/<p id="filter-error" class="error" role="alert">Cannot read the filter `epochs is big`/);
    const api = await server.app.inject({
      method: "GET",
      url: `/ui/api/runs?filter=${encodeURIComponent("metrics.accuracy >= 0")}`,
    });
    expect(api.json<{ total: number; runs: { id: string }[] }>()).toMatchObject({
      total: 2,
      runs: [{ id: second }, { id: first }],
    });
  });
});

describe("run page", () => {
  it("shows parameters, metrics with their per-epoch curves, datasets read, artifacts with sha256, and escapes what the run recorded", async () => {
    const { status, html } = await page(`/ui/runs/${first.slice(0, 8)}`);
    expect(status).toBe(200);
    expect(html).toContain(
      `<h1>Run <code>${first.slice(0, 8)}</code> <span class="badge status-finished">FINISHED</span></h1>`,
    );
    expect(html).toMatch(/<tr><th scope="row">epochs<\/th><td class="num">5<\/td><\/tr>/);
    expect(html).toContain("&lt;script&gt;alert(&#39;tag&#39;)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(");
    const charts = JSON.parse(/<script type="application\/json" id="chart-data">(.*?)<\/script>/s.exec(html)![1]!) as {
      series: { label: string; steps: number[] }[];
    }[];
    const loss = charts.flatMap((c) => c.series).find((s) => s.label === "loss");
    expect(loss?.steps).toEqual([0, 1, 2, 3, 4]);
    expect(html).toContain('src="/ui/assets/uPlot.iife.min.js"');
    const store = SqliteTrackingStore.open(join(project.root, ".cellforge/tracking.db"));
    const run = (await store.getRun(first))!;
    await store.close();
    for (const artifact of run.artifacts) expect(html).toContain(`<code class="digest full">${artifact.sha256}</code>`);
    expect(html).toContain(`<code class="digest full">${run.inputs[0]!.digest}</code>`);
    // The code each node had, as a table rather than the tag's JSON.
    const nodeCode =
      /<h2 id="node-code">Node code \(hashes\) <span class="count">3<\/span><\/h2>(.*?)<\/section>/s.exec(html)?.[1];
    expect(nodeCode).toContain(
      '<tr><th scope="row">train_model</th><td><code class="digest full">train-v1</code></td></tr>',
    );
    expect(html).not.toContain("cellforge.codeHashes");
  });

  it("draws the confusion matrix the run saved as a heat map, and says so when a later run rewrote the file", async () => {
    const { html } = await page(`/ui/runs/${first}`);
    expect(html).toContain('<table class="matrix">');
    expect(html).toContain("16 of 17 on the diagonal (94%)");
    expect(html).toContain('title="actual &lt;zero&gt;, predicted one: 1 of 10 (10%)"');
    writeFileSync(join(project.root, matrixPath), JSON.stringify({ a: { a: 1 }, b: { b: 1 } }));
    const rewritten = (await page(`/ui/runs/${first}`)).html;
    expect(rewritten).not.toContain('<table class="matrix">');
    expect(rewritten).toContain("was rewritten by a later run");
  });

  it("answers an unknown run with a 404 page", async () => {
    const { status, html } = await page("/ui/runs/ffffffff");
    expect(status).toBe(404);
    expect(html).toContain("No run has an id starting with ffffffff.");
  });
});

describe("comparison", () => {
  it("puts runs side by side and marks what differs, with metric changes from the first run", async () => {
    const { status, html } = await page(`/ui/compare?run=${first}&run=${second}`);
    expect(status).toBe(200);
    expect(html).toMatch(
      /<tr class="differs"><th scope="row"><span class="diff-mark" title="differs">≠<\/span><span class="visually-hidden">differs: <\/span>epochs<\/th><td class="num">5<\/td><td class="num">8 <span class="delta">\+3<\/span><\/td><\/tr>/,
    );
    expect(html).toMatch(/<tr class="same"><th scope="row">learning_rate<\/th>/);
    expect(html).toContain('id="chart-data"');
  });

  it("needs two runs", async () => {
    const { status, html } = await page(`/ui/compare?run=${first}`);
    expect(status).toBe(400);
    expect(html).toContain("Select at least two runs to compare");
  });
});

describe("model registry", () => {
  it("lists each version with its run, metrics, training data and artifacts, and a promotion form", async () => {
    const { html } = await page("/ui/models");
    expect(html).toContain('<tr id="train-2">');
    expect(html).toContain('<tr id="train-1">');
    expect(html).toContain(`href="/ui/runs/${second}"`);
    expect(html).toMatch(/<form class="promote" data-model="train"/);
    expect(html).not.toContain("Promotion needs the server's admin token");
  });

  it("refuses promotion without the admin token or with a wrong one", async () => {
    expect(await promote({ version: 1 }, {})).toMatchObject({ status: 401, body: { error: "UNAUTHORIZED" } });
    expect(await promote({ version: 1 }, { authorization: "Bearer nope" })).toMatchObject({
      status: 403,
      body: { error: "FORBIDDEN" },
    });
    expect((await page("/ui/models")).html).not.toContain(`class="badge alias"`);
  });

  it("refuses a cross-site alias move (CSRF), even with the admin token, and moves nothing", async () => {
    const attempts: Record<string, string>[] = [
      // A form or fetch on another site: the browser says where it comes from.
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
      { origin: "https://evil.example" },
      // No Fetch Metadata (an older browser) and no token: the cookie alone is not enough.
      { "x-csrf-token": "", cookie: "" },
      { "x-csrf-token": "forged-token-forged-token-forged-token-abcd" },
    ];
    for (const headers of attempts) {
      expect(await promote({ version: 1 }, { authorization: "Bearer s3cret", ...headers })).toMatchObject({
        status: 403,
        body: { error: "CSRF_REFUSED" },
      });
    }
    expect((await page("/ui/models")).html).not.toContain(`class="badge alias"`);
  });

  it("moves an alias with the token, and the server serving the project's champion reloads onto it", async () => {
    expect((await page("/ui")).html).toContain('serving <a href="/ui/try"><code>train:2</code></a>');
    const moved = await promote({ version: 1 }, { authorization: "Bearer s3cret" });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ name: "train", alias: "champion", version: 1, previous: null });
    expect(moved.body["message"]).toBe("@champion now points at train:1. Now serving train:1 (was train:2).");
    expect((await page("/ui/models")).html).toContain('<a class="badge alias" href="#train-1">@champion → 1</a>');
    expect((await page("/ui")).html).toContain("<code>train:1</code>");
  });

  it("says what is wrong with a promotion the registry refuses", async () => {
    expect(await promote({ version: 9 }, { authorization: "Bearer s3cret" })).toMatchObject({
      status: 404,
      body: { error: "MODEL_NOT_FOUND" },
    });
    expect(await promote({ version: "2" }, { authorization: "Bearer s3cret" })).toMatchObject({ status: 400 });
  });

  it("refuses every promotion on a server started without an admin token", async () => {
    const open = await ModelServer.open({ cwd: project.root, mounts: [mountUi] });
    try {
      expect((await page("/ui/models", open)).html).toContain("Promotion needs the server's admin token");
      expect(await promote({ version: 2 }, { authorization: "Bearer s3cret" }, "champion", open)).toMatchObject({
        status: 403,
        body: { error: "PROMOTION_DISABLED" },
      });
    } finally {
      await open.close();
    }
  });
});

describe("pipeline DAG", () => {
  it("draws the pipeline's nodes and datasets as an SVG, with parameters on demand", async () => {
    const { status, html } = await page("/ui/pipeline");
    expect(status).toBe(200);
    expect(html).toContain('<svg class="dag"');
    for (const node of ["split", "train_model", "evaluate"]) expect(html).toContain(`data-id="node:${node}"`);
    expect(html).toContain('data-id="dataset:points"');
    expect(html).not.toContain('data-id="parameter:epochs"');
    expect((await page("/ui/pipeline?parameters=1")).html).toContain('data-id="parameter:epochs"');
    const missing = await page("/ui/pipeline?name=nope");
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("No pipeline `nope`");
  });
});

describe("try it", () => {
  it("generates a form from the request schema, filled from a row of the catalog's CSV data", async () => {
    const { html } = await page("/ui/try");
    expect(html).toMatch(
      /<input type="number" step="any" inputmode="decimal" name="x1" id="field-x1" data-kind="number" data-nullable="false" data-required="true" required value="-0.628">/,
    );
    expect(html).toContain('name="x2"');
    expect(html).toContain('<script type="application/json" id="output-schema">');
    const sample = await server.app.inject({ method: "GET", url: "/ui/api/samples" });
    expect(sample.json()).toMatchObject({ dataset: "points", record: { x1: -0.628, x2: -0.968 } });
  });
});

describe("assets", () => {
  it("serves the page script, the stylesheet and uPlot from node_modules, and nothing else", async () => {
    const uplot = await server.app.inject({ method: "GET", url: "/ui/assets/uPlot.iife.min.js" });
    expect(uplot.statusCode).toBe(200);
    expect(uplot.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(uplot.body).toContain("uPlot");
    expect((await server.app.inject({ method: "GET", url: "/ui/assets/ui.css" })).statusCode).toBe(200);
    for (const name of ["constructor", "..%2Fplugin.ts", "missing.js"])
      expect((await server.app.inject({ method: "GET", url: `/ui/assets/${name}` })).statusCode).toBe(404);
    expect((await page("/ui/nowhere")).status).toBe(404);
  });
});
