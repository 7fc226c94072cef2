/** `cellforge sweep` without --metric ranks by the metric the notebook declares first, in the direction its name tells. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyExampleProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = copyExampleProject();
});
afterAll(() => project.remove());

describe("cellforge sweep's summary order", () => {
  it("is typeAccuracy, highest first, for the train notebook when none is chosen", async () => {
    const swept = await project.cli(["sweep", "train", "--grid", "epochs=1,4"]);
    expect(swept.code, swept.stdout + swept.stderr).toBe(0);
    expect(swept.stdout).toContain(
      "Sorted by typeAccuracy, highest first (choose with --metric, --maximize or --minimize).",
    );
    // Each finished run's line names the metric too.
    expect(swept.stdout).toMatch(/run [0-9a-f]{8} FINISHED typeAccuracy 0\.\d+/);
    const ranked = [...swept.stdout.matchAll(/^\d+\s+[0-9a-f]{8}\s+FINISHED\s+\d+\s+([\d.]+)$/gm)].map((m) =>
      Number(m[1]),
    );
    expect(ranked).toHaveLength(2);
    expect(ranked[0]).toBeGreaterThanOrEqual(ranked[1]!);
  });

  it("refuses --maximize and --minimize together", async () => {
    const both = await project.cli(["sweep", "train", "--grid", "epochs=1", "--maximize", "--minimize"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("Give --maximize or --minimize, not both.");
  });
});
