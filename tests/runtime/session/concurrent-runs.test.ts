// Two `cellforge run` at once on one project: each registered version holds its own run's weights; a failed registration fails the run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProjectStore } from "../../../runtime/stores/project-stores.ts";
import { RunFailedError, runSession } from "../../../runtime/session/run-session.ts";
import { useFastestBackend } from "../../../runtime/tfjs/backend.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(async () => {
  await useFastestBackend();
  project = createProject(["train"]);
});
afterAll(() => project.remove());

/** The sha256 of each file of the run's own `dataset` artifact, by file name. */
function runFiles(
  run: { artifacts: { dataset: string | undefined; path: string; sha256: string }[] },
  dataset: string,
): Record<string, string> {
  return Object.fromEntries(
    run.artifacts.filter((a) => a.dataset === dataset).map((a) => [a.path.split("/").at(-1)!, a.sha256]),
  );
}

describe("concurrent cellforge runs", () => {
  it("two pairs of runs at once: every version carries the weights of the run it names, and 'unchanged' names a version with the same weights", async () => {
    const outputs: string[] = [];
    for (let pair = 0; pair < 2; pair++) {
      const results = await Promise.all(
        [3, 4].map((epochs) => project.cli(["run", "train", "--force", "--params", `epochs=${epochs}`])),
      );
      for (const result of results) {
        expect(result.code, result.stderr).toBe(0);
        outputs.push(result.stdout);
      }
    }
    const opened = await openProjectStore(project.root);
    const { store, registry } = opened;
    try {
      const runs = await store.listRuns();
      expect(runs.map((r) => r.status)).toEqual(["FINISHED", "FINISHED", "FINISHED", "FINISHED"]);
      const versions = await registry.listVersions("train");
      // Seeded training: epochs=3 and epochs=4 give two distinct models, each registered once.
      expect(versions).toHaveLength(2);
      for (const version of versions) {
        const run = (await store.getRun(version.runId!))!;
        const files = Object.fromEntries(
          version.artifacts
            .filter((a) => a.dataset === "model")
            .flatMap((a) => a.files.map((f) => [f.path.split("/").at(-1)!, f.sha256])),
        );
        expect(files).toEqual(runFiles(run, "model"));
      }
      for (const stdout of outputs) {
        const id = /^run ([0-9a-f]{32})/m.exec(stdout)![1]!;
        const number = Number(
          /Model train (?:version (\d+) registered|unchanged: same as version (\d+))/
            .exec(stdout)!
            .slice(1)
            .find((n) => n !== undefined),
        );
        const version = versions.find((v) => v.version === number)!;
        const run = (await store.getRun(id))!;
        expect(Object.values(runFiles(run, "model")).sort()).toEqual(
          version.artifacts
            .find((a) => a.dataset === "model")!
            .files.map((f) => f.sha256)
            .sort(),
        );
      }
    } finally {
      await opened.close();
    }
  }, 180_000);

  it("warns on stderr when a runs-list filter names a metric no run has, with the closest name", async () => {
    const { stdout, stderr, code } = await project.cli(["runs", "list", "--filter", "metrics.acuracy > 0.5"]);
    expect(code).toBe(0);
    expect(stdout).toContain("No run matches the filter.");
    expect(stderr).toContain(
      "warning: No run has a metric `acuracy` (did you mean `accuracy`?), so `metrics.acuracy` matches nothing. Metrics: ",
    );
  }, 60_000);

  it("a registration that fails (the model store cannot be written) ends the run FAILED with the cause, not RUNNING", async () => {
    writeFileSync(join(project.root, "not-a-folder"), "");
    project.write("conf/local/tracking.yml", "models: not-a-folder/models\n");
    try {
      const failed = await runSession({ cwd: project.root, force: true, write: () => undefined }).catch(
        (e: unknown) => e,
      );
      expect(failed).toBeInstanceOf(RunFailedError);
      const opened = await openProjectStore(project.root);
      try {
        const run = (await opened.store.getRun((failed as RunFailedError).runId))!;
        expect(run.status).toBe("FAILED");
        expect(run.error).toMatch(/^Registering the model failed: .*(ENOTDIR|EEXIST)/);
      } finally {
        await opened.close();
      }
    } finally {
      project.write("conf/local/tracking.yml", "{}\n");
    }
  }, 60_000);
});
