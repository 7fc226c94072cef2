// The Runner seam a worker queue plugs into: the fixture train pipeline run node by node in child processes (datasets
// between nodes through the catalog's files, events sent back and recorded by the normal progress and tracking hooks)
// gives what the in-process runner gives: the same files on disk, the same metrics in the tracking store.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunFailedError, runSession, type RunOutcome } from "../../../runtime/session/run-session.ts";
import { useFastestBackend } from "../../../runtime/tfjs/backend.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";
import { ChildProcessRunner } from "./child-process/child-process-runner.ts";

/** The train pipeline's in-memory datasets, persisted so that a node in another process can read them. */
const PERSISTED_BETWEEN_NODES = `
trainSet:
  type: json
  path: data/02_intermediate/train_set.json
testSet:
  type: json
  path: data/02_intermediate/test_set.json
rowCount:
  type: json
  path: data/02_intermediate/row_count.json
`;

const OUTPUTS = [
  "data/02_intermediate/train_set.json",
  "data/02_intermediate/test_set.json",
  "data/06_models/model/model.json",
  "data/06_models/model/weights.bin",
  "data/06_models/scaler.json",
];

let inProcess: FixtureProject;
let inChildren: FixtureProject;
beforeAll(async () => {
  await useFastestBackend();
  inProcess = createProject(["train", "failing"]);
  inChildren = createProject(["train", "failing"]);
  for (const project of [inProcess, inChildren]) {
    project.write(
      "conf/base/catalog.yml",
      readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8") + PERSISTED_BETWEEN_NODES,
    );
  }
});
afterAll(() => {
  inProcess.remove();
  inChildren.remove();
});

/** What a run recorded, without ids and times. */
function recorded({ run }: RunOutcome) {
  return {
    status: run.status,
    params: run.params,
    metrics: run.metrics,
    history: run.metricHistory.map((m) => [m.key, m.step, m.value]).sort((a, b) => String(a).localeCompare(String(b))),
    artifacts: run.artifacts.map((a) => [a.dataset, a.path, a.sha256]),
    inputs: run.inputs,
  };
}

/** Progress lines without their timings. */
const untimed = (lines: string[]) => lines.map((line) => line.replace(/\d+(\.\d+)? m?s/g, "…"));

describe("a runner that executes each node in a child process", () => {
  it("gives the in-process runner's outputs on disk and metrics in the tracking store", async () => {
    const hereLines: string[] = [];
    const here = await runSession({ cwd: inProcess.root, write: (line) => hereLines.push(line) });
    const runner = new ChildProcessRunner({ root: inChildren.root, env: "local" });
    const thereLines: string[] = [];
    const there = await runSession({ cwd: inChildren.root, runner, write: (line) => thereLines.push(line) });

    expect(runner.processes).toBe(3);
    expect(there.result.nodes.map((n) => [n.node, n.status])).toEqual([
      ["split", "ran"],
      ["train_model", "ran"],
      ["evaluate", "ran"],
    ]);
    for (const path of OUTPUTS)
      expect(readFileSync(join(inChildren.root, path)), path).toEqual(readFileSync(join(inProcess.root, path)));
    expect(recorded(there)).toEqual(recorded(here));
    expect(there.run.metricHistory.filter((m) => m.key === "loss")).toHaveLength(5);
    expect(untimed(thereLines)).toEqual(untimed(hereLines));
    expect(there.model).toMatchObject({ created: true, version: { version: 1, runId: there.run.id } });
  }, 180_000);

  it("a node failing in its process fails the run with the node's message", async () => {
    const error = await runSession({
      cwd: inChildren.root,
      pipeline: "failing",
      runner: new ChildProcessRunner({ root: inChildren.root, env: "local" }),
      write: () => undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    expect((error as RunFailedError).message).toBe(
      "Node `divide` (from failing.ipynb cell 3) failed: cannot divide 8 rows by zero\n  at pipelines/failing/pipeline.ts:11",
    );
    expect(existsSync(join(inChildren.root, "data/02_intermediate/row_count.json"))).toBe(true);
  }, 120_000);
});
