// Seeding is per node, not per process: two seeded runs at once in one process (a server, a worker running two jobs)
// each draw their own numbers, and Math.random is the real one again once no seeded node runs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { Catalog } from "../../../runtime/catalog/catalog.ts";
import { definePipeline } from "../../../runtime/pipeline/definition.ts";
import { PipelineScheduler } from "../../../runtime/pipeline/scheduler.ts";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "cellforge-seeded-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A one-node pipeline that draws a number, waits `delay` ms, and draws another. */
function drawing(delay: number) {
  const draw = async () => {
    const first = Math.random();
    await sleep(delay);
    return { draws: [first, Math.random()] };
  };
  return definePipeline({
    name: "draw",
    source: "draw.ipynb",
    nodes: [{ name: "draw", func: draw, inputs: [], outputs: ["draws"], codeHash: "d" }],
    parameters: { defaults: {}, schema: {} },
  });
}

async function draws(delay: number, seed: number): Promise<unknown> {
  const result = await new PipelineScheduler({ catalog: new Catalog({}, { root }), params: {}, seed, root }).run(
    drawing(delay),
  );
  return result.freeOutputs["draws"];
}

it("gives each of two overlapping seeded runs in one process the numbers it draws alone", async () => {
  const original = Math.random;
  const alone = await draws(60, 2);
  // Run 1 ends while run 2's node still waits between its two draws.
  const [, overlapping] = await Promise.all([draws(5, 1), draws(60, 2)]);
  expect(overlapping).toEqual(alone);
  expect(Math.random).toBe(original);
});

it("leaves Math.random alone for code outside the seeded node, even while it runs", async () => {
  const outside = async () => {
    const run = draws(30, 7);
    await sleep(10);
    const value = Math.random();
    await run;
    return value;
  };
  // Two draws of the real Math.random: equal only if a seeded stream leaked out of the node.
  expect(await outside()).not.toBe(await outside());
});
