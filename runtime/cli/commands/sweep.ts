/** `cellforge sweep`: one tracked run per parameter configuration, locally or on workers, grouped under a sweep id, with a summary sorted by a metric. */
import { parseParamsOption } from "../../config/parameters.ts";
import type { RunJob, RunJobMessage, RunJobProgress, RunJobResult } from "../../workers/run-job.ts";
import type { RunSlot } from "../../workers/run-in-process.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { integerOption, parseOptions, stringOption } from "../options.ts";
import { formatValue, renderTable } from "../table.ts";

const usage = `Usage: cellforge sweep [PIPELINE] --grid NAME=V1,V2 [--grid NAME=V1,V2 …] [options]

Runs the pipeline once per parameter configuration: every combination of the --grid values
(or --random N of them, or N drawn from --grid ranges), each a normal tracked run tagged with the sweep's id
(cellforge.sweep), nodes always rerun (sweep runs never skip on each other's results). Prints
a summary sorted by a metric; the UI shows the sweep at /ui/sweeps/ID.

Options:
  --grid NAME=V1,V2     values of one parameter (repeatable; values read as --params reads them)
  --grid NAME=LOW..HIGH a range to draw from, with --random; add :log to draw on a log scale (rates)
                        and :int for whole numbers, e.g. learningRate=0.0005..0.01:log hiddenUnits=32..256:int
  --random N            run N configurations drawn at random: distinct ones of the grid, or from the ranges
  --seed S              the seed of the --random draw (printed when not given), to draw the same again
  --params k=v,k2=v2    parameters shared by every run
  --on local|workers    run here, in a warm child process per lane (default), or queue on Redis for \`cellforge worker\`
  --parallel K          runs at once (default: 1 locally; on workers, all queued at once)
  --metric NAME         the metric to sort by (default: the first metric the pipeline declares)
  --maximize            higher is better; --minimize: lower is better (default: told by the metric's
                        name: accuracy, F1, AUC, precision, recall, R², scores higher; losses, errors lower)
  --register-best       register the model of the best run (pipelines with a predict cell)
  --env ENV             configuration environment (default: local)

Example:
  cellforge sweep train --grid learningRate=0.001,0.003 --grid hiddenUnits=64,128 \\
    --on workers --metric typeAccuracy --maximize --register-best`;

/** One configuration's run going on. */
interface Running {
  result: Promise<RunJobResult>;
  cancel(): void;
}

/** Whether `a` ranks before `b` for `metric`. */
function compareBy(metric: string, maximize: boolean) {
  return (a: RunJobResult, b: RunJobResult): number => {
    const x = a.metrics[metric];
    const y = b.metrics[metric];
    if (x === undefined || y === undefined) return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
    return maximize ? y - x : x - y;
  };
}

/** The options that would choose the summary's order, when the command line left it to the defaults. */
function chosenHow(parsed: ReturnType<typeof parseOptions>): string {
  const left = [
    ...(stringOption(parsed, "metric") === undefined ? ["--metric"] : []),
    ...(parsed.values["maximize"] === true || parsed.values["minimize"] === true ? [] : ["--maximize or --minimize"]),
  ];
  return left.length === 0 ? "" : ` (choose with ${left.join(", ")})`;
}

const sweep: Command = {
  name: "sweep",
  summary: "run a pipeline once per parameter configuration (a grid or random search) and rank the runs",
  usage,
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        grid: { type: "string", multiple: true },
        random: { type: "string" },
        seed: { type: "string" },
        params: { type: "string", multiple: true },
        on: { type: "string" },
        parallel: { type: "string" },
        metric: { type: "string" },
        maximize: { type: "boolean" },
        minimize: { type: "boolean" },
        "register-best": { type: "boolean" },
        env: { type: "string" },
      },
      1,
    );
    const on = stringOption(parsed, "on") ?? "local";
    if (on !== "local" && on !== "workers") throw new UsageError(`--on expects local or workers, not \`${on}\`.`);
    const env = stringOption(parsed, "env") ?? "local";
    const shared = ((parsed.values["params"] as string[] | undefined) ?? []).flatMap(parseParamsOption);
    const plan = await import("../../workers/sweep-plan.ts");
    const axes = ((parsed.values["grid"] as string[] | undefined) ?? []).map(plan.parseGridOption);
    if (axes.length === 0) throw new UsageError("give the values to sweep with --grid NAME=V1,V2 (repeatable).");
    const sweepId = plan.newSweepId();
    const random = integerOption(parsed, "random");
    // The draw's seed is printed, so that the same configurations can be drawn again with --seed.
    const seed = stringOption(parsed, "seed") ?? String(Math.floor(Math.random() * 1e6));
    const configurations =
      random === undefined ? plan.gridConfigurations(axes) : plan.randomConfigurations(axes, random, seed);
    const parallel = integerOption(parsed, "parallel") ?? (on === "local" ? 1 : configurations.length);
    if (parsed.values["maximize"] === true && parsed.values["minimize"] === true)
      throw new UsageError("Give --maximize or --minimize, not both.");
    /** Whether higher is better for `metric`: --maximize, --minimize, else its name tells. */
    const maximizes = (metric: string): boolean =>
      parsed.values["maximize"] === true
        ? true
        : parsed.values["minimize"] === true
          ? false
          : plan.higherIsBetter(metric);

    const { findProjectRoot } = await import("../../config/project-root.ts");
    const { defaultPipelineName } = await import("../../pipeline/load-pipeline.ts");
    const { syncPipeline } = await import("../pipelines-sync.ts");
    const { prepareRunJobs } = await import("../../workers/prepare-job.ts");
    const root = findProjectRoot();
    const pipelineName = parsed.positionals[0] ?? defaultPipelineName(root);
    const sync = await syncPipeline(root, pipelineName, { extract: true });
    if (sync.kind === "extracted") console.log(`${sync.notebook} changed: extracted again (${sync.changes})`);
    const { loadPipelineOutline } = await import("../../workers/pipeline-outline.ts");
    const { declaredMetrics } = await import("../../pipeline/metrics.ts");
    const declared = declaredMetrics(await loadPipelineOutline(root, pipelineName));
    /** The metric each finished run's line shows: the chosen one, else the one the pipeline declares first. */
    const shownMetric = stringOption(parsed, "metric") ?? declared[0];

    // Local runs go to one warm process per lane (workers.yml's runsPerProcess runs each), started
    // now so that loading TF.js there overlaps checking the configurations here.
    const slots: RunSlot[] = [];
    if (on === "local") {
      const { RunSlot } = await import("../../workers/run-in-process.ts");
      const { workersSettings } = await import("../../workers/workers-settings.ts");
      const { runsPerProcess } = workersSettings(root, env);
      for (let i = 0; i < Math.min(parallel, configurations.length); i++) slots.push(new RunSlot(root, runsPerProcess));
      for (const slot of slots) void slot.warm();
    }

    // Every configuration is checked (unknown parameters, wrong types) before any run starts.
    const prepared = prepareRunJobs(
      {
        root,
        pipeline: pipelineName,
        env,
        tags: { [plan.SWEEP_TAG]: sweepId, [plan.SWEEP_PARAMS_TAG]: JSON.stringify(axes.map((a) => a.name)) },
        force: true,
        register: false,
      },
      configurations.map((configuration) => [
        ...shared,
        ...Object.entries(configuration).map(([name, value]) => ({ path: name.split("."), value })),
      ]),
    );
    // A bad configuration ends the warm processes too, or they would keep the command waiting.
    const jobs: RunJob[] = (
      await prepared.catch((error: unknown) => {
        for (const slot of slots) slot.close();
        throw error;
      })
    ).map(({ job }) => job);
    console.log(
      `cellforge sweep ${pipelineName} · ${sweepId} · ${jobs.length} configurations${random === undefined ? "" : ` drawn with --seed ${seed}`} · ${on === "workers" ? "on workers" : "local"} · ${parallel} at once`,
    );

    const label = (i: number): string => `[${i + 1}/${jobs.length} ${plan.describeConfiguration(configurations[i]!)}]`;
    const onStarted = (i: number, runId: string): void => console.log(`${label(i)} run ${runId.slice(0, 8)} started`);

    let start: (i: number) => Promise<Running>;
    let close: () => Promise<void>;
    if (on === "local") {
      const idle = [...slots];
      close = () => {
        for (const slot of slots) slot.close();
        return Promise.resolve();
      };
      start = (i) => {
        const slot = idle.pop()!;
        const run = slot.start(jobs[i]!, (message: RunJobMessage) => {
          if (message.type === "started") onStarted(i, message.runId);
        });
        return Promise.resolve({ result: run.result.finally(() => idle.push(slot)), cancel: () => run.cancel() });
      };
    } else {
      const { workersSettings } = await import("../../workers/workers-settings.ts");
      const { RunQueue } = await import("../../workers/run-queue.ts");
      const queue = await RunQueue.open(workersSettings(root, env));
      close = () => queue.close();
      start = async (i) => {
        const seen = new Set<string>();
        const queued = await queue.submit(jobs[i]!, (progress: RunJobProgress) => {
          if (progress.runId !== undefined && !seen.has(progress.runId)) {
            seen.add(progress.runId);
            onStarted(i, progress.runId);
          }
        });
        return { result: queued.result, cancel: () => void queue.cancel(queued.jobId) };
      };
    }

    const results: RunJobResult[] = new Array<RunJobResult>(jobs.length);
    const running = new Set<Running>();
    let cancelled = false;
    const onSigint = (): void => {
      if (cancelled) return;
      cancelled = true;
      console.error("\ncellforge sweep: SIGINT received, cancelling the sweep's runs.");
      for (const run of running) run.cancel();
    };
    process.on("SIGINT", onSigint);
    try {
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < jobs.length && !cancelled) {
          const i = next++;
          const run = await start(i);
          running.add(run);
          const result = await run.result;
          running.delete(run);
          results[i] = result;
          const shown =
            shownMetric !== undefined && result.metrics[shownMetric] !== undefined
              ? ` ${shownMetric} ${formatValue(result.metrics[shownMetric])}`
              : "";
          console.log(
            `${label(i)} run ${result.runId?.slice(0, 8) ?? "(not recorded)"} ${result.status}${shown}${result.error === undefined ? "" : `: ${result.error}`}`,
          );
        }
      };
      await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, lane));
    } finally {
      process.removeListener("SIGINT", onSigint);
      await close();
    }

    const done = results.map((result, i) => ({
      result: result ?? { status: "KILLED" as const, metrics: {}, error: "Not started: the sweep was cancelled." },
      i,
    }));
    const metric =
      stringOption(parsed, "metric") ??
      plan.defaultSweepMetric(
        declared,
        Object.keys(done.find((d) => d.result.status === "FINISHED")?.result.metrics ?? {}),
      );
    const maximize = metric !== undefined && maximizes(metric);
    const ranked =
      metric === undefined ? done : [...done].sort((a, b) => compareBy(metric, maximize)(a.result, b.result));
    const names = axes.map((a) => a.name);
    console.log(
      `\n${renderTable(
        ["#", "run", "status", ...names, ...(metric === undefined ? [] : [metric])],
        ranked.map(({ result, i }, rank) => [
          String(rank + 1),
          result.runId?.slice(0, 8) ?? "-",
          result.status,
          ...names.map((n) => formatValue(configurations[i]![n])),
          ...(metric === undefined
            ? []
            : [result.metrics[metric] === undefined ? "-" : formatValue(result.metrics[metric])]),
        ]),
        true,
      )}`,
    );
    if (metric !== undefined)
      console.log(
        `Sorted by ${metric}, ${maximize ? "highest" : "lowest"} first${chosenHow(parsed)}. Sweep ${sweepId}: cellforge runs list --filter "tags.cellforge.sweep = ${sweepId}"`,
      );

    const best = ranked.find(
      (r) => r.result.status === "FINISHED" && metric !== undefined && r.result.metrics[metric] !== undefined,
    );
    if (parsed.values["register-best"] === true) {
      if (best?.result.runId === undefined)
        console.error("No model registered: no run of the sweep finished with the metric.");
      else {
        const { registerRunModel } = await import("../../session/register-run.ts");
        const { version, created } = await registerRunModel(root, env, best.result.runId);
        console.log(
          created
            ? `Best run ${best.result.runId.slice(0, 8)}: model ${version.name} version ${version.version} registered.`
            : `Best run ${best.result.runId.slice(0, 8)}: model ${version.name} unchanged, same as version ${version.version}.`,
        );
      }
    }
    if (cancelled) return 130;
    return done.every((d) => d.result.status === "FINISHED") ? 0 : 1;
  },
};

export default sweep;
