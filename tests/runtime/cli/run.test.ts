import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = createProject(["basic", "failing"]);
});
afterAll(() => project.remove());

describe("cellforge run", () => {
  it("runs a pipeline with progress node by node, says which backend, and records the run", async () => {
    const { stdout, stderr, code } = await project.cli(["run", "basic"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("cellforge run basic · TensorFlow.js backend wasm (SIMD) · env local");
    expect(lines[1]).toMatch(/^run [0-9a-f]{32} · pipeline basic$/);
    expect(stdout).toMatch(/^▸ clean {3}running$/m);
    expect(stdout).toMatch(/^ {2}clean {3}6 of 8 people are adults$/m);
    expect(stdout).toMatch(/^✓ report {2}\d+ ms$/m);
    expect(stdout).toMatch(/^Run [0-9a-f]{8} FINISHED in [\d.]+ (ms|s): 4 ran, 0 skipped \(unchanged\)\.$/m);
    expect(stdout).toContain("Metrics: adultCount 6 · meanAge 57.67 · counted 6");
    expect(existsSync(join(project.root, "data/08_reporting/report.txt"))).toBe(true);
    expect(existsSync(join(project.root, ".cellforge/tracking.db"))).toBe(true);
  });

  it("reruns only what a changed parameter affects", async () => {
    const { stdout, code } = await project.cli(["run", "basic", "--params", "title=Folks"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^- clean {3}unchanged, skipped$/m);
    expect(stdout).toMatch(/^✓ report /m);
    expect(stdout).toMatch(/: 1 ran, 3 skipped \(unchanged\)\.$/m);
  });

  it("stops at a failing node, naming the node, its cell and the cause, with exit code 1", async () => {
    const { stdout, stderr, code } = await project.cli(["run", "failing"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^✗ divide {3}failed after \d+ ms$/m);
    expect(stdout).not.toContain("publish");
    expect(stderr).toMatch(
      /^✗ Run [0-9a-f]{8} FAILED: Node `divide` \(from failing.ipynb cell 3\) failed: cannot divide 8 rows by zero\n {2}at pipelines\/failing\/pipeline.ts:11$/m,
    );
  });

  it("lists the valid parameters when one is unknown or mistyped, and records no run", async () => {
    const { stderr, code } = await project.cli(["run", "basic", "--params", "min_ag=3,scale=big"]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      "cellforge run: Unknown parameter `min_ag` in --params (did you mean `min_age`?).\n" +
        'Parameter `scale` (from --params) expected number, got string "big".\n\n' +
        "Valid parameters:\n" +
        "  min_age  integer  default 18\n" +
        "  scale    number   default 1\n" +
        '  title    string   default "People"\n',
    );
  });

  it("runs a partial run that reads in-memory data by replaying the node that makes it", async () => {
    // `count` reads `adults`, which `clean` keeps in memory: memory does not outlive a run.
    const { stdout, stderr, code } = await project.cli(["run", "basic", "--nodes", "count", "--force"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ clean\s+\S+ m?s \(replayed\)/);
    expect(stdout).toMatch(/FINISHED in .*: 1 ran, 1 replayed, 0 skipped/);
    expect(stdout).not.toContain("has no value in memory");
  });

  it("explains usage mistakes with exit code 2", async () => {
    const unknown = await project.cli(["run", "basic", "--nodez", "x"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^cellforge run: Unknown option '--nodez'\./);
    const filter = await project.cli(["run", "basic", "--nodes", "reprot"]);
    expect(filter.code).toBe(1);
    expect(filter.stderr).toBe(
      "cellforge run: --nodes names `reprot`, which is not a node of pipeline `basic` (did you mean `report`?). Nodes: clean, stats, count, report.\n",
    );
    const missing = await project.cli(["run", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /No pipeline `nope`: pipelines\/nope\/pipeline.ts does not exist. Pipelines: basic, failing;/,
    );
  });
});
