// A run whose model registration fails for a reason other than the pipeline (an unexpected file-system error) ends FAILED with that cause.
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
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

it("a run whose kept model copy cannot be read (ENOTDIR) ends FAILED with the cause, not FINISHED with 'kept no copy'", async () => {
  let runId: string | undefined;
  const failed = await runSession({
    cwd: project.root,
    force: true,
    write: () => undefined,
    onRunStarted: (run) => (runId = run.runId),
    hooks: [
      {
        // Once the pipeline ran, the run's copy of every predict artifact turns into a plain file: reading it fails with ENOTDIR.
        afterPipelineRun: ({ pipeline }) => {
          for (const dataset of pipeline.predict!.artifacts) {
            const folder = join(project.root, ".cellforge/artifacts", runId!, dataset);
            expect(readdirSync(folder)).not.toEqual([]);
            rmSync(folder, { recursive: true, force: true });
            writeFileSync(folder, "");
          }
        },
      },
    ],
  }).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(RunFailedError);
  const opened = await openProjectStore(project.root);
  try {
    const run = (await opened.store.getRun(runId!))!;
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/^Registering the model failed: .*ENOTDIR/);
  } finally {
    await opened.close();
  }
}, 60_000);
