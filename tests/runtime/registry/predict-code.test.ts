// A model version records the predict code it was registered with: an edit of that code alone gives a new version, and a server refuses to start on a version whose predict code is not the code in pipelines/<name>/ now.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = createProject(["train"]);
});
afterAll(() => project.remove());

const PIPELINE = "pipelines/train/pipeline.ts";

/** Stands for an edit of the predict cell (extract gives predict.ts a new code hash). */
function setPredictCode(hash: string): void {
  const path = join(project.root, PIPELINE);
  writeFileSync(path, readFileSync(path, "utf8").replace(/codeHash: "predict-v\d+"/, `codeHash: "${hash}"`));
}

it("registers a new version when only the predict code changed, shows its code hash, and refuses to serve it with other predict code", async () => {
  const first = await project.cli(["run", "train"]);
  expect(first.code, first.stderr).toBe(0);
  expect(first.stdout).toMatch(/Model train version 1 registered/);

  setPredictCode("predict-v2");
  const second = await project.cli(["run", "train"]);
  expect(second.code, second.stderr).toBe(0);
  expect(second.stdout).toMatch(/Model train version 2 registered/);

  const shown = await project.cli(["models", "show", "train:2"]);
  expect(shown.stdout).toMatch(/predict code\s+sha256 predict-v2/);

  setPredictCode("predict-v1");
  const same = await project.cli(["run", "train"]);
  expect(same.stdout).toMatch(/Model train unchanged: same as version 1/);

  const served = await project.cli(["serve", "train:2", "--port", "0"]);
  expect(served.code).not.toBe(0);
  expect(served.stderr).toMatch(
    /cannot serve train:2: its predict code \(predict\.ts and the shared code it uses, sha256 predict-v1…\) is not the code the version was registered with \(sha256 predict-v2…\)/,
  );
  expect(served.stderr).toMatch(/npx cellforge run train/);
}, 180_000);
