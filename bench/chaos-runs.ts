// Chaos for runs and registration: concurrent `cellforge run` pairs on one project, then kill -9 during
// runs and during registration (when its staging folder appears), and counts of what went wrong (each should be 0). Runs on a temp copy of
// the tests' fixture project (a small seeded TF.js classifier with a predict cell, ~3 s a run).
// Alone: npx tsx bench/chaos-runs.ts [--pairs 10] [--kills 20]; bench/chaos.ts calls chaosRuns().
import { existsSync, mkdirSync, readdirSync, watch, type FSWatcher } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createProject, type FixtureProject } from "../tests/runtime/fixture-project.ts";
import { openProjectStore } from "../runtime/stores/project-stores.ts";
import type { ModelVersion } from "../runtime/registry/registry-store.ts";
import type { RunDetails } from "../runtime/tracking/store.ts";

/** What the chaos found; every count but the totals should be 0. */
export interface ChaosRunsFigures {
  pairs: number;
  concurrentRuns: number;
  /** Runs that were not killed and did not finish (exit code ≠ 0): concurrent ones, kill attempts that missed, the last run. */
  failedRuns: number;
  versions: number;
  /** Versions whose files differ from their run's own artifacts, or from what that run's parameters train (seeded). */
  wrongWeightVersions: number;
  /** Runs whose reported version (registered or "unchanged: same as") has other weights than the run trained. */
  wrongReportedVersions: number;
  /** Versions holding the same weights as an earlier version. */
  duplicateVersions: number;
  /** Kills that landed during a run, during a registration, or just after it (a miss), out of `attempts` runs started to be killed. */
  kills: { duringRun: number; duringRegistration: number; afterRun: number; attempts: number };
  /** Half-written files: temporary or partial copies left, or a catalog file no run recorded. */
  partialFiles: number;
  /** .cellforge/models/.staging-* folders left after the next registration. */
  leftoverStaging: number;
  /** Runs still RUNNING for a reader opened before the kills (the web UI) and for a fresh one. */
  runningForever: number;
  /** Version folders the database does not know, and versions whose files fail their sha256. */
  unknownVersionFolders: number;
  corruptVersions: number;
  durationMs: number;
}

type Log = (line: string) => void;

function modelFiles(artifacts: readonly { dataset: string | undefined; path: string; sha256: string }[]): string {
  return artifacts
    .filter((a) => a.dataset === "model" || a.dataset === "scaler")
    .map((a) => `${a.dataset}/${a.path.split("/").at(-1)}=${a.sha256}`)
    .sort()
    .join(",");
}

function versionFiles(version: ModelVersion): string {
  return modelFiles(
    version.artifacts.flatMap((a) => a.files.map((f) => ({ dataset: a.dataset, path: f.path, sha256: f.sha256 }))),
  );
}

/** When to kill a run with SIGKILL: `afterMs` after it started, or as soon as a folder starting with `prefix` appears in `whenFolderAppears`. */
type Kill = { afterMs: number } | { whenFolderAppears: string; prefix: string };

/** Runs `cellforge run train` with `epochs`, killing it with SIGKILL when `kill` says so. */
function runTrain(
  project: FixtureProject,
  epochs: number,
  kill?: Kill,
  extraParams: readonly string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string; killed: boolean }> {
  return new Promise((resolve) => {
    const child = project.spawn([
      "run",
      "train",
      "--force",
      "--params",
      `epochs=${epochs}`,
      ...extraParams.flatMap((p) => ["--params", p]),
    ]);
    let stdout = "";
    let stderr = "";
    let killed = false;
    const killNow = () => {
      if (child.exitCode === null && !killed) {
        killed = true;
        child.kill("SIGKILL");
      }
    };
    let watcher: FSWatcher | undefined;
    if (kill !== undefined && "afterMs" in kill) setTimeout(killNow, kill.afterMs);
    if (kill !== undefined && "whenFolderAppears" in kill) {
      mkdirSync(kill.whenFolderAppears, { recursive: true });
      watcher = watch(kill.whenFolderAppears, (_event, name) => {
        if (name?.startsWith(kill.prefix) === true) killNow();
      });
    }
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("exit", (code) => {
      watcher?.close();
      resolve({ code, stdout, stderr, killed });
    });
  });
}

/** The end of what a failed run printed, on one line. */
function lastLines(result: { stdout: string; stderr: string }): string {
  return (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-3).join(" | ");
}

/** The parameters that decide a seeded run's weights. */
function trainedWith(run: RunDetails): string {
  return `epochs=${JSON.stringify(run.params["epochs"])} seed=${JSON.stringify(run.params["seed"])}`;
}

function countNamed(folder: string, test: (name: string) => boolean): number {
  try {
    return readdirSync(folder).filter(test).length;
  } catch {
    return 0;
  }
}

/** Runs the chaos on a fresh fixture project and returns the counts. */
export async function chaosRuns(
  options: { pairs?: number; kills?: number; log?: Log } = {},
): Promise<ChaosRunsFigures> {
  const pairs = options.pairs ?? 10;
  const kills = options.kills ?? 20;
  const log = options.log ?? ((line: string) => console.log(line));
  const started = performance.now();
  const project = createProject(["train"]);
  try {
    // Seeded training is deterministic: one solo run per epochs value gives the weights every later run with it must register.
    const epochsValues = [3, 4, 5];
    const truth = new Map<string, string>();
    const baselineStarted = performance.now();
    for (const epochs of epochsValues) {
      const result = await project.cli(["run", "train", "--force", "--params", `epochs=${epochs}`]);
      if (result.code !== 0) throw new Error(`the baseline run failed: ${result.stderr}`);
      const id = /^run ([0-9a-f]{32})/m.exec(result.stdout)![1]!;
      const opened = await openProjectStore(project.root);
      const run = (await opened.store.getRun(id))!;
      truth.set(trainedWith(run), modelFiles(run.artifacts));
      await opened.close();
    }
    const runMs = (performance.now() - baselineStarted) / epochsValues.length;
    log(
      `baseline: ${epochsValues.length} solo runs (epochs ${epochsValues.join(", ")}), ${new Set(truth.values()).size} distinct models, ${(runMs / 1000).toFixed(1)} s a run`,
    );

    let failedRuns = 0;
    const reported: { runId: string; version: number }[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      const chosen = [epochsValues[pair % 3]!, epochsValues[(pair + 1) % 3]!];
      const results = await Promise.all(chosen.map((epochs) => runTrain(project, epochs)));
      for (const result of results) {
        if (result.code !== 0) {
          failedRuns++;
          log(`  a run failed (exit ${result.code}): ${lastLines(result)}`);
        }
        const id = /^run ([0-9a-f]{32})/m.exec(result.stdout)?.[1];
        const number = /Model train (?:version (\d+) registered|unchanged: same as version (\d+))/.exec(result.stdout);
        if (id !== undefined && number !== null) reported.push({ runId: id, version: Number(number[1] ?? number[2]) });
      }
      log(
        `pair ${pair + 1}/${pairs}: epochs ${chosen.join(" & ")} → ${results.map((r) => (r.code === 0 ? "ok" : `exit ${r.code}`)).join(", ")}`,
      );
    }

    // A long-lived reader opened before the kills, as the web UI is.
    const reader = await openProjectStore(project.root);
    const killed = { duringRun: 0, duringRegistration: 0, afterRun: 0, attempts: 0 };
    // Attempts until `kills` kills landed during a run or a registration (at most three times as many).
    for (let i = 0; killed.duringRun + killed.duringRegistration < kills && killed.attempts < kills * 3; i++) {
      killed.attempts++;
      const duringRegistration = i % 2 === 1;
      const epochs = epochsValues[i % 3]!;
      const result = duringRegistration
        ? // A seed no run used yet, so the model is new and registration copies it (an unchanged one copies nothing).
          await runTrain(
            project,
            epochs,
            { whenFolderAppears: join(project.root, ".cellforge/models"), prefix: ".staging-" },
            [`seed=${1000 + i}`],
          )
        : await runTrain(project, epochs, { afterMs: Math.round(runMs * (0.1 + 0.8 * (((i * 397) % 1000) / 1000))) });
      // Killed during registration: before the run reported its model (else it counts as a kill after the run).
      if (!result.killed) {
        if (result.code !== 0) {
          failedRuns++;
          log(`  a run failed (exit ${result.code}): ${lastLines(result)}`);
        }
        continue;
      }
      if (!duringRegistration) killed.duringRun++;
      else if (/Model train /.test(result.stdout)) killed.afterRun++;
      else killed.duringRegistration++;
    }
    const stillRunningForReader = (await reader.store.listRuns({ status: "RUNNING" })).length;
    await reader.close();

    // The next run cleans what killed ones left, and registers.
    const after = await project.cli(["run", "train", "--force", "--params", "epochs=6"]);
    if (after.code !== 0) failedRuns++;

    const opened = await openProjectStore(project.root);
    try {
      const { store, registry } = opened;
      const versions = await registry.listVersions("train");
      const runs = new Map<string, RunDetails>();
      for (const info of await store.listRuns()) runs.set(info.id, (await store.getRun(info.id))!);
      let wrongWeightVersions = 0;
      let corruptVersions = 0;
      const seen = new Set<string>();
      let duplicateVersions = 0;
      for (const version of versions) {
        const run = version.runId === undefined ? undefined : runs.get(version.runId);
        const files = versionFiles(version);
        const expected = run === undefined ? undefined : truth.get(trainedWith(run));
        if (run === undefined || files !== modelFiles(run.artifacts) || (expected !== undefined && files !== expected))
          wrongWeightVersions++;
        if (seen.has(files)) duplicateVersions++;
        seen.add(files);
        if (
          !(await registry.verifyArtifacts(version).then(
            () => true,
            () => false,
          ))
        )
          corruptVersions++;
      }
      let wrongReportedVersions = 0;
      for (const { runId, version } of reported) {
        const run = runs.get(runId);
        const registered = versions.find((v) => v.version === version);
        if (run === undefined || registered === undefined || versionFiles(registered) !== modelFiles(run.artifacts))
          wrongReportedVersions++;
      }
      const root = project.root;
      const known = new Set(versions.map((v) => String(v.version)));
      const unknownVersionFolders = countNamed(join(root, ".cellforge/models/train"), (name) => !known.has(name));
      const leftoverStaging = countNamed(join(root, ".cellforge/models"), (name) => name.startsWith(".staging-"));
      // Half-written files: temporary files, partial run copies, or model files in data/ that no run recorded.
      const recorded = new Set([...runs.values()].flatMap((run) => run.artifacts.map((a) => a.sha256)));
      const { storedFilesUnder } = await import("../runtime/catalog/digest.ts");
      const catalogFiles = existsSync(join(root, "data/06_models"))
        ? await storedFilesUnder(join(root, "data/06_models"))
        : [];
      const partialFiles =
        countNamed(join(root, ".cellforge/tmp"), () => true) +
        countNamed(join(root, ".cellforge/artifacts"), (name) => name.startsWith(".partial-")) +
        catalogFiles.filter((file) => !recorded.has(file.sha256)).length;
      const runningForever = stillRunningForReader + (await store.listRuns({ status: "RUNNING" })).length;
      return {
        pairs,
        concurrentRuns: pairs * 2,
        failedRuns,
        versions: versions.length,
        wrongWeightVersions,
        wrongReportedVersions,
        duplicateVersions,
        kills: killed,
        partialFiles,
        leftoverStaging,
        runningForever,
        unknownVersionFolders,
        corruptVersions,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      await opened.close();
    }
  } finally {
    project.remove();
  }
}

/** Prints the figures, one per line. */
export function printChaosRuns(figures: ChaosRunsFigures, log: Log = (line) => console.log(line)): void {
  log(
    `concurrent runs: ${figures.concurrentRuns} in ${figures.pairs} pairs, ${figures.failedRuns} failed; ${figures.versions} versions registered`,
  );
  log(`wrong-weight versions: ${figures.wrongWeightVersions}`);
  log(`runs reporting a version with other weights: ${figures.wrongReportedVersions}`);
  log(`duplicate versions (same weights as an earlier one): ${figures.duplicateVersions}`);
  const { duringRun, duringRegistration, afterRun, attempts } = figures.kills;
  log(
    `kill -9: ${duringRun} during runs, ${duringRegistration} during registration (${afterRun} landed just after it, ${attempts} attempts)`,
  );
  log(`partial files: ${figures.partialFiles}`);
  log(`leftover staging folders: ${figures.leftoverStaging}`);
  log(`RUNNING-forever runs: ${figures.runningForever}`);
  log(
    `version folders the database does not know: ${figures.unknownVersionFolders}; versions failing their sha256: ${figures.corruptVersions}`,
  );
  log(`took ${(figures.durationMs / 1000).toFixed(1)} s`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { pairs: { type: "string" }, kills: { type: "string" } } });
  process.env["CELLFORGE_TF_BACKEND"] ??= "wasm";
  const figures = await chaosRuns({
    ...(values.pairs === undefined ? {} : { pairs: Number(values.pairs) }),
    ...(values.kills === undefined ? {} : { kills: Number(values.kills) }),
  });
  printChaosRuns(figures);
}
