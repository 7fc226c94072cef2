import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject, type FixtureProject } from "../fixture-project.ts";

let project: FixtureProject;
const ids: string[] = [];

beforeAll(async () => {
  project = createProject(["train"]);
  for (const epochs of [3, 5]) {
    const { stdout, code } = await project.cli(["run", "train", "--params", `epochs=${epochs}`]);
    expect(code, stdout).toBe(0);
    ids.push(/^run ([0-9a-f]{32})/m.exec(stdout)![1]!);
  }
});
afterAll(() => project.remove());

describe("cellforge runs", () => {
  it("lists runs newest first as a table, and filters them", async () => {
    const all = await project.cli(["runs", "list"]);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^ID {8}PIPELINE {2}STATUS {4}STARTED {14}DURATION {2}METRICS$/);
    expect(lines.slice(1).map((l) => l.slice(0, 8))).toEqual([ids[1]!.slice(0, 8), ids[0]!.slice(0, 8)]);
    expect(lines[1]).toMatch(/ train {5}FINISHED /);
    const filtered = await project.cli(["runs", "list", "--filter", "metrics.accuracy > 0.3 and params.epochs = 3"]);
    expect(
      filtered.stdout
        .trimEnd()
        .split("\n")
        .slice(1)
        .map((l) => l.slice(0, 8)),
    ).toEqual([ids[0]!.slice(0, 8)]);
    const none = await project.cli(["runs", "list", "--filter", "params.epochs = 50"]);
    expect(none.stdout).toBe("No run matches the filter.\n");
    const bad = await project.cli(["runs", "list", "--filter", "accuracy > 1"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Cannot read the filter `accuracy > 1`/);
  });

  it("shows one run by id prefix: parameters, metrics with their history, inputs, artifacts", async () => {
    const { stdout, code } = await project.cli(["runs", "show", ids[1]!.slice(0, 6)]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Run ${ids[1]}  train  FINISHED$`, "m"));
    expect(stdout).toMatch(/^Parameters\n {2}test_fraction {2}0.25\n {2}epochs {9}5\n/m);
    expect(stdout).toMatch(/^ {2}loss +[\d.]+ {2}\(5 steps: [\d.]+ → [\d.]+\)$/m);
    expect(stdout).toMatch(
      /^Input datasets\n {2}NAME +SHA256 +ROWS +PATH\n {2}points +[0-9a-f]{16} +80 +data\/01_raw\/points.csv$/m,
    );
    expect(stdout).toMatch(/^ {2}data\/06_models\/model\/weights.bin +[0-9a-f]{16} +\d+ B +model$/m);
    // The fixture pipeline's code hashes are names like "split-v1"; extracted pipelines have sha256s.
    expect(stdout).toMatch(
      /^Node code \(sha256\)\n {2}evaluate {5}evaluate-v1\n {2}split {8}split-v1\n {2}train_model {2}train-v1\n/m,
    );
    expect(stdout).not.toContain("cellforge.codeHashes");
  });

  it("compares two runs side by side, marking the differences", async () => {
    const { stdout, code } = await project.cli(["runs", "compare", ids[0]!.slice(0, 8), ids[1]!.slice(0, 8)]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^ {3}run +${ids[0]!.slice(0, 8)} +${ids[1]!.slice(0, 8)}$`, "m"));
    expect(stdout).toMatch(/^\* {2}epochs +3 +5$/m);
    expect(stdout).toMatch(/^ {3}seed +42 +42$/m);
    expect(stdout).toMatch(/^\* {2}loss +[\d.]+ +[\d.]+$/m);
    expect(stdout).toMatch(/^\* marks the 4 differences\.\n$/m);
  });
});

describe("cellforge models", () => {
  it("lists models and shows versions and one version's artifacts and schemas", async () => {
    const list = await project.cli(["models", "list"]);
    expect(list.stdout).toMatch(/^NAME {3}LATEST {2}VERSIONS {2}ALIASES {2}UPDATED\ntrain {7}2 {9}2 {11}\d{4}-/);
    const one = await project.cli(["models", "show", "train:1"]);
    expect(one.stdout).toMatch(
      new RegExp(`^Model train version 1\\n {2}registered {5}\\S+ \\S+\\n {2}run {12}${ids[0]}\\n`),
    );
    expect(one.stdout).toMatch(
      /^ {2}model +tfjs-model +\.cellforge\/models\/train\/1\/model\/model.json +[0-9a-f]{16} +[\d.]+ kB$/m,
    );
    expect(one.stdout).toMatch(/^Request \(one record\)\n {2}x1 {2}number\n {2}x2 {2}number$/m);
  });

  it("promotes a version to an alias, refuses a breaking request schema unless --force", async () => {
    expect((await project.cli(["models", "promote", "train", "1", "--alias", "champion"])).stdout).toBe(
      "train@champion → version 1.\n",
    );
    expect((await project.cli(["models", "promote", "train", "2", "--alias", "champion"])).stdout).toBe(
      "train@champion → version 2 (was version 1).\n",
    );

    // A new notebook version renames a request field: the same nodes, a new schema, so a new model version.
    const file = join(project.root, "pipelines/train/pipeline.ts");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(
        'properties: { x1: { type: "number" }, x2: { type: "number" } }',
        'properties: { x1: { type: "number" }, y: { type: "number" } }',
      ),
    );
    const rerun = await project.cli(["run", "train", "--params", "epochs=5"]);
    expect(rerun.stdout).toContain("Model train version 3 registered");

    const refused = await project.cli(["models", "promote", "train", "3", "--alias", "champion"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      "cellforge models: Promoting train version 3 to @champion would break clients of version 2: its input schema\n" +
        "  - field `x2` was removed\n" +
        "Update the clients first, or promote anyway with --force.\n",
    );
    const forced = await project.cli(["models", "promote", "train", "3", "--alias", "champion", "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(
      /^train@champion → version 3 \(was version 2\)\.\nForced despite breaking request-schema changes:\n {2}- field `x2` was removed/,
    );
    expect((await project.cli(["models", "show", "train@champion"])).stdout).toMatch(
      /^Model train version 3 {2}@champion$/m,
    );
  });
});
