import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { definePipeline, type Pipeline, type PipelineNode } from "../../../runtime/pipeline/definition.ts";
import { NodeFailedError } from "../../../runtime/pipeline/errors.ts";
import type { Hooks } from "../../../runtime/pipeline/hooks.ts";
import { PipelineScheduler as Runner } from "../../../runtime/pipeline/scheduler.ts";
import { logMetric } from "../../../runtime/tracking/context.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-runner-"));
  mkdirSync(join(root, "data"));
  writeFileSync(join(root, "data/raw.json"), JSON.stringify([3, 1, 2]));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pipelineOf(nodes: PipelineNode[], defaults: Record<string, unknown> = {}): Pipeline {
  return definePipeline({ name: "test", source: "test.ipynb", nodes, parameters: { defaults, schema: {} } });
}

function run(pipeline: Pipeline, options: Partial<ConstructorParameters<typeof Runner>[0]> = {}) {
  const catalog = new Catalog(
    { raw: { type: "json", path: "data/raw.json" }, total: { type: "json", path: "data/total.json" } },
    { root },
  );
  return new Runner({ catalog, params: pipeline.parameters.defaults, root, ...options }).run(pipeline);
}

describe("the runner", () => {
  it("runs nodes in topological order, whatever the definition order, and returns free outputs", async () => {
    const order: string[] = [];
    const pipeline = pipelineOf(
      [
        {
          name: "report",
          func: (total: number) => (order.push("report"), { text: `total ${total}` }),
          inputs: ["total"],
          outputs: ["text"],
          codeHash: "r",
        },
        {
          name: "sum",
          func: (sorted: number[]) => (order.push("sum"), { total: sorted.reduce((a, b) => a + b, 0) }),
          inputs: ["sorted"],
          outputs: ["total"],
          codeHash: "s",
        },
        {
          name: "sort",
          func: (raw: number[], desc: boolean) => (
            order.push("sort"),
            { sorted: [...raw].sort((a, b) => (desc ? b - a : a - b)) }
          ),
          inputs: ["raw", "params:desc"],
          outputs: ["sorted"],
          codeHash: "o",
        },
      ],
      { desc: true },
    );
    const result = await run(pipeline);
    expect(order).toEqual(["sort", "sum", "report"]);
    expect(result.freeOutputs).toEqual({ text: "total 6" });
    expect(existsSync(join(root, "data/total.json"))).toBe(true);
    expect(result.nodes.map((n) => n.status)).toEqual(["ran", "ran", "ran"]);
  });

  it("lets independent nodes overlap", async () => {
    const spans: Record<string, [number, number]> = {};
    const slow = (name: string) => async () => {
      const start = performance.now();
      await sleep(80);
      spans[name] = [start, performance.now()];
      return { [`${name}Out`]: name };
    };
    const pipeline = pipelineOf([
      { name: "left", func: slow("left"), inputs: [], outputs: ["leftOut"], codeHash: "l" },
      { name: "right", func: slow("right"), inputs: [], outputs: ["rightOut"], codeHash: "r" },
    ]);
    await run(pipeline);
    expect(spans.left![0]).toBeLessThan(spans.right![1]);
    expect(spans.right![0]).toBeLessThan(spans.left![1]);
  });

  it("stops at a failing node, naming it, its cell and the cause, and runs nothing downstream", async () => {
    const ran: string[] = [];
    const events: string[] = [];
    const hooks: Hooks = {
      onNodeError: ({ node }) => void events.push(`error ${node.name}`),
      onPipelineError: () => void events.push("pipeline error"),
      afterPipelineRun: () => void events.push("after pipeline"),
    };
    const pipeline = pipelineOf([
      {
        name: "load",
        func: (raw: number[]) => (ran.push("load"), { values: raw }),
        inputs: ["raw"],
        outputs: ["values"],
        codeHash: "l",
      },
      {
        name: "divide",
        func: (values: number[]) => {
          ran.push("divide");
          if (values.length > 0) throw new RangeError("cannot divide by zero");
          return { total: 0 };
        },
        inputs: ["values"],
        outputs: ["total"],
        codeHash: "d",
        source: "notebooks/test.ipynb cell 7",
      },
      { name: "publish", func: () => (ran.push("publish"), {}), inputs: ["total"], outputs: [], codeHash: "p" },
    ]);
    const error = await run(pipeline, { hooks: [hooks] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeFailedError);
    // The message points at the line of the node's code that threw (here, this test file, outside the project root).
    expect((error as NodeFailedError).message).toMatch(
      /^Node `divide` \(from notebooks\/test.ipynb cell 7\) failed: cannot divide by zero\n {2}at \/.*\/tests\/runtime\/pipeline\/runner.test.ts:\d+$/,
    );
    expect((error as NodeFailedError).node).toBe("divide");
    expect((error as NodeFailedError).cause).toBeInstanceOf(RangeError);
    expect(ran).toEqual(["load", "divide"]);
    expect(events).toEqual(["error divide", "pipeline error"]);
    expect(existsSync(join(root, "data/total.json"))).toBe(false);
  });

  it("calls the hooks around loads, the node and saves, in order", async () => {
    const events: string[] = [];
    const record = (name: string) => (event: { name?: string; node?: PipelineNode }) =>
      void events.push(`${name} ${event.name ?? event.node?.name ?? ""}`.trim());
    const hooks: Hooks = {
      beforePipelineRun: () => void events.push("beforePipelineRun"),
      beforeDatasetLoad: record("beforeDatasetLoad"),
      afterDatasetLoad: record("afterDatasetLoad"),
      beforeNodeRun: record("beforeNodeRun"),
      afterNodeRun: record("afterNodeRun"),
      beforeDatasetSave: record("beforeDatasetSave"),
      afterDatasetSave: record("afterDatasetSave"),
      onNodeMetric: ({ name, value, step }) => void events.push(`metric ${name}=${value}@${step}`),
      afterPipelineRun: () => void events.push("afterPipelineRun"),
    };
    const pipeline = pipelineOf([
      {
        name: "sum",
        func: (raw: number[]) => {
          logMetric("seen", raw.length, 0);
          return { total: raw.reduce((a, b) => a + b, 0) };
        },
        inputs: ["raw"],
        outputs: ["total"],
        codeHash: "s",
      },
    ]);
    await run(pipeline, { hooks: [hooks] });
    expect(events).toEqual([
      "beforePipelineRun",
      "beforeDatasetLoad raw",
      "afterDatasetLoad raw",
      "beforeNodeRun sum",
      "metric seen=3@0",
      "beforeDatasetSave total",
      "afterDatasetSave total",
      "afterNodeRun sum",
      "afterPipelineRun",
    ]);
  });

  it("says who should have produced a missing input", async () => {
    rmSync(join(root, "data/raw.json"));
    const pipeline = pipelineOf([
      {
        name: "sum",
        func: (raw: number[]) => ({ total: raw.length }),
        inputs: ["raw"],
        outputs: ["total"],
        codeHash: "s",
      },
      {
        name: "double",
        func: (total: number) => ({ doubled: total * 2 }),
        inputs: ["total"],
        outputs: ["doubled"],
        codeHash: "d",
      },
      {
        name: "orphan",
        func: (ghost: number) => ({ seen: ghost }),
        inputs: ["ghost"],
        outputs: ["seen"],
        codeHash: "o",
      },
    ]);
    await expect(run(pipeline, { filter: { nodeNames: ["sum"] } })).rejects.toThrow(
      "Node `sum` failed: Dataset `raw` has no file at data/raw.json. No node outputs it: put the file there, or fix its path in conf/base/catalog.yml.",
    );
    await expect(run(pipeline, { filter: { nodeNames: ["double"] } })).rejects.toThrow(
      "Dataset `total` has no file at data/total.json. It is an output of node `sum`, which this run leaves out: run it first (cellforge run --to-nodes double).",
    );
    await expect(run(pipeline, { filter: { nodeNames: ["orphan"] } })).rejects.toThrow(
      "Dataset `ghost` has no value in memory yet. No node outputs it and conf/base/catalog.yml does not list it",
    );
  });

  it("checks what a node returns and which parameters it reads", async () => {
    const wrong = pipelineOf([
      { name: "sum", func: () => ({ totl: 1 }), inputs: [], outputs: ["total"], codeHash: "s" },
    ]);
    await expect(run(wrong)).rejects.toThrow("Node `sum` failed: it returned no `total`");
    const noParam = pipelineOf([
      { name: "sum", func: () => ({}), inputs: ["params:epochs"], outputs: [], codeHash: "s" },
    ]);
    await expect(run(noParam)).rejects.toThrow(
      "Node `sum` reads `params:epochs`, but pipeline `test` has no parameter `epochs`; add it to the notebook's parameters cell.",
    );
  });

  it("with a seed, gives each node its own reproducible Math.random stream, and restores Math.random after", async () => {
    const draw = (name: string, delay: number) => async () => {
      const first = Math.random();
      await sleep(delay);
      return { [name]: [first, Math.random()] };
    };
    const pipeline = pipelineOf([
      { name: "a", func: draw("a", 5), inputs: [], outputs: ["a"], codeHash: "a" },
      { name: "b", func: draw("b", 25), inputs: [], outputs: ["b"], codeHash: "b" },
    ]);
    const original = Math.random;
    const one = await run(pipeline, { seed: 42 });
    const two = await run({ ...pipeline, nodes: [...pipeline.nodes].reverse() }, { seed: 42 });
    const other = await run(pipeline, { seed: 43 });
    expect(Math.random).toBe(original);
    expect(two.freeOutputs).toEqual(one.freeOutputs);
    expect(other.freeOutputs).not.toEqual(one.freeOutputs);
    expect(one.freeOutputs["a"]).not.toEqual(one.freeOutputs["b"]);
  });
});

describe("metric outputs", () => {
  it("log numbers, records of numbers as name.key, and number arrays as steps", async () => {
    const metrics: string[] = [];
    const pipeline = pipelineOf([
      {
        name: "train",
        func: () => ({
          accuracy: 0.5,
          scores: { f1: 0.25, auc: 0.75 },
          history: { loss: [0.9, 0.4] },
          ignored: "text",
        }),
        inputs: [],
        outputs: ["accuracy", "scores", "history", "ignored"],
        metrics: ["accuracy", "scores", "history", "ignored"],
        codeHash: "t",
      },
    ]);
    const { metricsOf } = await import("../../../runtime/pipeline/metrics.ts");
    const result = await run(pipeline, {
      hooks: [
        {
          afterNodeRun: ({ node, outputs }) =>
            void metrics.push(...metricsOf(node, outputs).map((m) => `${m.name}=${m.value}@${m.step}`)),
        },
      ],
    });
    expect(result.nodes[0]!.status).toBe("ran");
    expect(metrics).toEqual([
      "accuracy=0.5@undefined",
      "scores.f1=0.25@undefined",
      "scores.auc=0.75@undefined",
      "history.loss=0.9@0",
      "history.loss=0.4@1",
    ]);
  });

  it("log each value once: a record's entry that repeats a top-level metric of the same name and value is not logged again", async () => {
    // A metrics cell: `const f1 = …; const auc = …; const summary = { f1, auc }; const validation = { f1: 0.4, auc };`
    const metrics: string[] = [];
    const pipeline = pipelineOf([
      {
        name: "evaluate",
        func: () => ({ f1: 0.25, auc: 0.75, summary: { f1: 0.25, auc: 0.75 }, validation: { f1: 0.4, auc: 0.75 } }),
        inputs: [],
        outputs: ["f1", "auc", "summary", "validation"],
        metrics: ["summary", "f1", "auc", "validation"],
        codeHash: "e",
      },
    ]);
    const { metricsOf } = await import("../../../runtime/pipeline/metrics.ts");
    const result = await run(pipeline, {
      hooks: [
        {
          afterNodeRun: ({ node, outputs }) =>
            void metrics.push(...metricsOf(node, outputs).map((m) => `${m.name}=${m.value}`)),
        },
      ],
    });
    expect(result.nodes[0]!.status).toBe("ran");
    expect(metrics).toEqual(["f1=0.25", "auc=0.75", "validation.f1=0.4"]);
  });
});
