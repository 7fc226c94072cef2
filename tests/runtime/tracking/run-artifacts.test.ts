// Each run keeps its own copy of what it saved; reads never show a dead process's run as RUNNING; locks survive kill -9.
import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProjectStore } from "../../../runtime/stores/project-stores.ts";
import { runSession } from "../../../runtime/session/run-session.ts";
import { currentProcess, isProcessAlive } from "../../../runtime/tracking/process-identity.ts";
import { LockTimeoutError, SqliteLocks } from "../../../runtime/tracking/sqlite-locks.ts";
import type { SqliteTrackingStore } from "../../../runtime/tracking/sqlite-store.ts";
import { UiProject } from "../../../runtime/ui/project.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;

// A pipeline whose report (a confusion matrix) depends on a parameter, so that every run writes another one to the same path.
const reportPipeline = `
import { definePipeline } from "@cellforge/runtime";
export function evaluate(hits: number): { confusionMatrix: Record<string, Record<string, number>> } {
  return { confusionMatrix: { yes: { yes: hits, no: 1 }, no: { no: 5 } } };
}
export default definePipeline({
  name: "report",
  source: "notebooks/report.ipynb",
  nodes: [{ name: "evaluate", func: evaluate, inputs: ["params:hits"], outputs: ["confusionMatrix"], codeHash: "evaluate-v1" }],
  parameters: { defaults: { hits: 3 }, schema: { type: "object", properties: { hits: { type: "integer" } }, required: ["hits"] } },
});
`;

beforeAll(() => {
  project = createProject([]);
  project.write("pipelines/report/pipeline.ts", reportPipeline);
  project.write(
    "conf/base/catalog.yml",
    `${readFileSync(join(project.root, "conf/base/catalog.yml"), "utf8")}\nconfusionMatrix:\n  type: json\n  path: data/08_reporting/confusionMatrix.json\n`,
  );
});
afterAll(() => project.remove());

const quiet = { write: () => undefined };

describe("a run's own artifacts", () => {
  it("keeps each run's report, so an earlier run's page shows its own confusion matrix after a later run rewrote the file", async () => {
    const first = (
      await runSession({ cwd: project.root, pipeline: "report", params: [{ path: ["hits"], value: 3 }], ...quiet })
    ).run;
    const second = (
      await runSession({ cwd: project.root, pipeline: "report", params: [{ path: ["hits"], value: 8 }], ...quiet })
    ).run;
    const copy = first.artifacts[0]!.copy!;
    expect(copy).toBe(`.cellforge/artifacts/${first.id}/confusionMatrix/confusionMatrix.json`);
    expect(statSync(join(project.root, copy)).mode & 0o222).toBe(0);
    const ui = await UiProject.open(project.root);
    try {
      const [mine] = await ui.matrices(first);
      expect(mine).toMatchObject({
        changed: false,
        matrix: {
          labels: ["yes", "no"],
          counts: [
            [3, 1],
            [0, 5],
          ],
        },
      });
      const [theirs] = await ui.matrices(second);
      expect(theirs).toMatchObject({
        changed: false,
        matrix: {
          labels: ["yes", "no"],
          counts: [
            [8, 1],
            [0, 5],
          ],
        },
      });
    } finally {
      await ui.close();
    }
  });

  it("shows a run whose process was killed as KILLED to a reader opened before (the web UI), without another command", async () => {
    const project2 = await openProjectStore(project.root);
    try {
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      await new Promise((resolve) => child.once("spawn", resolve));
      const owner = {
        pid: child.pid!,
        host: hostname(),
        start: readFileSync(`/proc/${child.pid}/stat`, "utf8").split(") ")[1]!.split(" ")[19],
      };
      const run = await project2.store.createRun({
        experiment: "report",
        pipeline: "report",
        params: {},
        tags: {},
        gitCommit: undefined,
        gitDirty: undefined,
        process: owner,
      });
      expect((await project2.store.listRuns())[0]).toMatchObject({ id: run.id, status: "RUNNING" });
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      expect((await project2.store.listRuns())[0]).toMatchObject({ id: run.id, status: "KILLED" });
      expect((await project2.store.getRun(run.id))?.error).toMatch(/ended without finishing the run/);
    } finally {
      await project2.close();
    }
  });

  it("takes over a lock whose holder was killed, and waits for a live holder", async () => {
    const opened = await openProjectStore(project.root);
    try {
      const dead = new SqliteLocks(
        (opened.store as SqliteTrackingStore).db,
        { pid: 999_999, host: hostname(), start: "1" },
        isProcessAlive,
      );
      await dead.acquire("register:report");
      const taken = await opened.store.lock("register:report", { waitMs: 1000 });
      const refused = await opened.store.lock("register:report", { waitMs: 50 }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(LockTimeoutError);
      expect((refused as Error).message).toContain(
        `held by process ${currentProcess().pid} on ${hostname()}, which is still running`,
      );
      await taken.release();
      await (await opened.store.lock("register:report", { waitMs: 50 })).release();
    } finally {
      await opened.close();
    }
  });
});
