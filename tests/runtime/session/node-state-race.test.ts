// A node's state (what skip-unchanged compares) records the outputs this run saved, even when another run rewrites the shared catalog path right after.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Hooks } from "../../../runtime/pipeline/hooks.ts";
import { runSession } from "../../../runtime/session/run-session.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = createProject(["basic"]);
});
afterAll(() => project.remove());

const REPORT = "data/08_reporting/report.txt";

/** Another run saving the same catalog path the moment this run's save is done: the race, made deterministic. */
const concurrentRewrite: Hooks = {
  afterDatasetSave(event) {
    if (event.name === "report") writeFileSync(join(project.root, REPORT), "Another run's report\n");
  },
};

it("reruns a node whose output another run rewrote right after this run saved it, rather than taking that file as its own", async () => {
  const first = await runSession({
    cwd: project.root,
    pipeline: "basic",
    hooks: [concurrentRewrite],
    write: () => undefined,
  });
  expect(readFileSync(join(project.root, REPORT), "utf8")).toBe("Another run's report\n");
  const saved = first.run.artifacts.find((a) => a.dataset === "report")!;

  const second = await runSession({ cwd: project.root, pipeline: "basic", write: () => undefined });
  expect(second.result.nodes.find((n) => n.node === "report")?.status).toBe("ran");
  expect(readFileSync(join(project.root, REPORT), "utf8")).toMatch(/^People: mean age/);
  expect(second.run.artifacts.find((a) => a.dataset === "report")?.sha256).toBe(saved.sha256);
}, 60_000);
