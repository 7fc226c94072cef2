/**
 * One project tracking to two stores that share its models folder (a second store without an artifact root of its
 * own): the second store's first run is refused before it trains, since its version 1 folder holds the other
 * store's model, and nothing of that model is touched.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExampleProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = copyExampleProject();
});
afterAll(() => project.remove());

describe("cellforge run into a models folder another tracking store registered in", () => {
  it("is refused before training, names the folder and how to give each store its own, and keeps the other model", async () => {
    const team = await project.cli(["run", "train", "--params", "epochs=2"], {
      CELLFORGE_TRACKING_URI: "sqlite:.cellforge/team.db",
    });
    expect(team.code, team.stdout + team.stderr).toBe(0);
    expect(team.stdout).toContain("Model train version 1 registered");
    const weights = join(project.root, ".cellforge/models/train/1/model/weights.bin");
    const before = readFileSync(weights);

    const local = await project.cli(["run", "train", "--params", "epochs=2"]);
    expect(local.code).not.toBe(0);
    const said = local.stdout + local.stderr;
    expect(said).toContain("Cannot register train:1: .cellforge/models/train/1/ already exists");
    expect(said).toContain("give each tracking store a folder of its own");
    expect(said).not.toMatch(/epoch \d/);
    expect(readFileSync(weights).equals(before)).toBe(true);
    // Refused before a run was recorded: the local store has no run to show.
    const runs = await project.cli(["runs", "list"]);
    expect(runs.stdout).not.toMatch(/train +(FAILED|FINISHED)/);
  });
});
