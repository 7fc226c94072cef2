// A node loads what its own run saved, even when another run rewrites (or is swapping) the shared catalog path in between.
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { writeFileAtomic } from "../../../runtime/catalog/atomic-write.ts";
import type { Hooks } from "../../../runtime/pipeline/hooks.ts";
import { runSession } from "../../../runtime/session/run-session.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = createProject(["basic", "train"]);
});
afterAll(() => project.remove());

/** Another run's work on `name`'s path, done the moment this run's save of it is over: the race, made deterministic. */
function meanwhile(name: string, act: () => void | Promise<void>): Hooks {
  return {
    async afterDatasetSave(event) {
      if (event.name === name) await act();
    },
  };
}

it("builds the report from this run's summary, not the one another run saved in between", async () => {
  // Another run saves as every cellforge save does: a new file renamed over the path.
  const foreign = meanwhile("summary", () =>
    writeFileAtomic(
      join(project.root, "data/02_intermediate/summary.json"),
      project.root,
      JSON.stringify({ meanAge: 99, cities: ["Elsewhere"] }),
    ),
  );
  const outcome = await runSession({
    cwd: project.root,
    pipeline: "basic",
    force: true,
    hooks: [foreign],
    write: () => undefined,
  });
  expect(outcome.run.status).toBe("FINISHED");
  const text = readFileSync(join(project.root, "data/08_reporting/report.txt"), "utf8");
  expect(text).toMatch(/^People: mean age /);
  expect(text).not.toContain("Elsewhere");
}, 60_000);

it("evaluates this run's model while another run's save has the model folder swapped out", async () => {
  const swapping = meanwhile("model", () =>
    rmSync(join(project.root, "data/06_models/model"), { recursive: true, force: true }),
  );
  const outcome = await runSession({
    cwd: project.root,
    pipeline: "train",
    force: true,
    params: [{ path: ["epochs"], value: 2 }],
    hooks: [swapping],
    write: () => undefined,
  });
  expect(outcome.run.status).toBe("FINISHED");
  expect(Object.keys(outcome.run.metrics)).toContain("accuracy");
}, 120_000);

it("leaves no snapshot behind once the run is over", async () => {
  await runSession({ cwd: project.root, pipeline: "basic", force: true, write: () => undefined });
  const tmp = join(project.root, ".cellforge/tmp");
  expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([]);
}, 60_000);
