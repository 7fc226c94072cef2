import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../../runtime/catalog/digest.ts";
import { RunFailedError, runSession } from "../../../runtime/session/run-session.ts";
import { useFastestBackend } from "../../../runtime/tfjs/backend.ts";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
beforeAll(async () => {
  await useFastestBackend();
  project = createProject(["train", "failing"]);
});
afterAll(() => project.remove());

const quiet = { write: () => undefined };

describe("a tracked run", () => {
  it("records parameters, per-epoch metrics, artifacts with sha256, input dataset digests, and ends FINISHED", async () => {
    const lines: string[] = [];
    const { run, model } = await runSession({
      cwd: project.root,
      params: [{ path: ["epochs"], value: 4 }],
      write: (line) => lines.push(line),
    });
    expect(run.status).toBe("FINISHED");
    expect(run.pipeline).toBe("train");
    expect(run.experiment).toBe("train");
    expect(run.params).toEqual({ test_fraction: 0.25, epochs: 4, learning_rate: 0.05, seed: 42 });
    expect(run.tags).toMatchObject({ "cellforge.env": "local" });
    expect(run.gitCommit).toBeUndefined(); // the temp project is not a git repository

    const steps = (key: string) => run.metricHistory.filter((m) => m.key === key).map((m) => m.step);
    for (const key of ["loss", "acc", "val_loss", "val_acc"]) expect(steps(key), key).toEqual([0, 1, 2, 3]);
    expect(Object.keys(run.metrics).sort()).toEqual(["acc", "accuracy", "loss", "testLoss", "val_acc", "val_loss"]);
    expect(run.metrics["accuracy"]).toBeGreaterThan(0.8);

    expect(run.artifacts.map((a) => [a.dataset, a.path])).toEqual([
      ["model", "data/06_models/model/model.json"],
      ["model", "data/06_models/model/weights.bin"],
      ["scaler", "data/06_models/scaler.json"],
    ]);
    for (const artifact of run.artifacts) {
      const bytes = readFileSync(join(project.root, artifact.path));
      expect(artifact.sha256).toBe(sha256(bytes));
      expect(artifact.size).toBe(bytes.length);
    }
    expect(run.inputs).toEqual([
      {
        name: "points",
        digest: sha256(readFileSync(join(project.root, "data/01_raw/points.csv"))),
        rows: 80,
        path: "data/01_raw/points.csv",
      },
    ]);

    expect(lines.filter((l) => l.includes("epoch "))).toHaveLength(4);
    expect(lines.at(-1)).toMatch(/^✓ evaluate/);
    expect(model).toMatchObject({ created: true, version: { name: "train", version: 1, runId: run.id } });
  });

  it("gives identical metrics for two runs with the same seed on WASM, and different ones for another seed", async () => {
    const metricsOf = async (seed: number) => {
      const { run } = await runSession({
        cwd: project.root,
        params: [{ path: ["seed"], value: seed }],
        force: true,
        ...quiet,
      });
      return run.metricHistory.map((m) => [m.key, m.step, m.value]);
    };
    const first = await metricsOf(7);
    expect(await metricsOf(7)).toEqual(first);
    expect(await metricsOf(8)).not.toEqual(first);
  });

  it("a second run with nothing changed skips every node yet records the metrics and the same model version", async () => {
    // The previous test last ran with seed 8: the default seed 42 changes every node's Math.random, so all rerun.
    const first = await runSession({ cwd: project.root, ...quiet });
    expect(first.result.nodes.map((n) => n.status)).toEqual(["ran", "ran", "ran"]);
    const second = await runSession({ cwd: project.root, ...quiet });
    expect(second.result.nodes.map((n) => n.status)).toEqual(["skipped", "skipped", "skipped"]);
    expect(second.run.metrics).toEqual(first.run.metrics);
    expect(second.run.metricHistory.filter((m) => m.key === "loss")).toHaveLength(5);
    expect(second.model?.created).toBe(false);
    expect(second.model?.version.version).toBe(first.model?.version.version);
    expect(second.run.inputs.map((i) => i.name)).toEqual(["points"]);
  });

  it("a failing node ends the run FAILED with the node's message", async () => {
    const error = await runSession({ cwd: project.root, pipeline: "failing", ...quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFailedError);
    const { SqliteTrackingStore } = await import("../../../runtime/tracking/sqlite-store.ts");
    const store = SqliteTrackingStore.open(join(project.root, ".cellforge/tracking.db"));
    const run = (await store.getRun((error as RunFailedError).runId))!;
    await store.close();
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/^Node `divide` \(from failing.ipynb cell 3\) failed: cannot divide 8 rows by zero/);
  });
});
