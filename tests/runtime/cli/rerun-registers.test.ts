/** A rerun that changes only the training parameters replays the upstream nodes, and still registers its model. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExampleProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = copyExampleProject();
});
afterAll(() => project.remove());

describe("cellforge run after a change of a training parameter", () => {
  it("replays the feature node and registers a new version from the feature spec on disk", async () => {
    const first = await project.cli(["run", "train", "--params", "epochs=2"]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain("Model train version 1 registered");

    const second = await project.cli(["run", "train", "--params", "epochs=3"]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/✓ features +\d+ ms \(replayed\)/);
    expect(second.stdout).toContain("Model train version 2 registered");
    const shown = await project.cli(["models", "show", "train:2"]);
    expect(shown.stdout).toContain("featureSpec");
  });
});
