import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(() => {
  project = createProject(["basic", "slow"]);
});
afterAll(() => project.remove());

/** Starts `cellforge run slow` and resolves once its node is running. */
async function startSlowRun() {
  const child = project.spawn(["run", "slow", "--params", "wait_ms=60000"]);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("slow step started")) resolve();
    });
    child.on("exit", () => reject(new Error(`cellforge run slow ended early:\n${output}`)));
  });
  const runId = /^run ([0-9a-f]{32})/m.exec(output)![1]!;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? (signal === null ? null : -1))),
  );
  return { child, runId, exited };
}

function dataFiles(): string[] {
  return readdirSync(join(project.root, "data"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(project.root.length + 1))
    .sort();
}

describe("runs that end abruptly, and runs at the same time", () => {
  it("a run killed with SIGKILL mid-node leaves no partial dataset file and shows KILLED in the next `runs list`; SIGINT marks KILLED before exiting", async () => {
    const before = dataFiles();
    const [killed, interrupted] = await Promise.all([startSlowRun(), startSlowRun()]);
    killed.child.kill("SIGKILL");
    interrupted.child.kill("SIGINT");
    expect(await interrupted.exited).toBe(130);
    await killed.exited;
    expect(dataFiles()).toEqual(before);
    expect(existsSync(join(project.root, "data/02_intermediate/slow_result.json"))).toBe(false);

    const { stdout } = await project.cli(["runs", "list"]);
    expect(stdout).toMatch(new RegExp(`^${killed.runId.slice(0, 8)}  slow {6}KILLED `, "m"));
    expect(stdout).toMatch(new RegExp(`^${interrupted.runId.slice(0, 8)}  slow {6}KILLED `, "m"));
    const [showKilled, showInterrupted] = await Promise.all([
      project.cli(["runs", "show", killed.runId]),
      project.cli(["runs", "show", interrupted.runId]),
    ]);
    expect(showKilled.stdout).toMatch(
      /error +The process running it \(pid \d+ on .+\) ended without finishing the run \(killed\?\)\./,
    );
    expect(showInterrupted.stdout).toMatch(/error +Stopped by SIGINT\./);
  });

  it("two runs started at once in two processes are both recorded", async () => {
    const [a, b] = await Promise.all([
      project.cli(["run", "basic", "--force"]),
      project.cli(["run", "basic", "--force"]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const ids = [a, b].map((r) => /^run ([0-9a-f]{32})/m.exec(r.stdout)![1]!.slice(0, 8));
    expect(ids[0]).not.toBe(ids[1]);
    const { stdout } = await project.cli(["runs", "list", "--filter", "pipeline = basic and status = FINISHED"]);
    for (const id of ids) expect(stdout).toMatch(new RegExp(`^${id}  basic {5}FINISHED `, "m"));
  });
});
