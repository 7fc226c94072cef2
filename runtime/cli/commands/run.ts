/** `cellforge run`: runs a pipeline against the data catalog as a tracked run and registers its model. */
import { removePendingTemporaryFiles } from "../../catalog/atomic-write.ts";
import { parseParamsOption } from "../../config/parameters.ts";
import type { StartedRun } from "../../session/run-session.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { listOption, parseOptions, stringOption } from "../options.ts";
import { formatDuration, formatValue } from "../table.ts";

const usage = `Usage: cellforge run [PIPELINE] [options]

Runs pipelines/PIPELINE/pipeline.ts (default: the only pipeline, else \`train\`) against the
data catalog, records the run (parameters, metrics, artifacts, dataset digests) and, when the
pipeline has a predict cell, registers the model. Nodes whose code, inputs and parameters did
not change since their last run are skipped.

First the pipeline's notebook is checked against pipelines/PIPELINE/ (\`extract --check\`, fast
when nothing changed) and, when it changed, extracted again: old code never runs. A notebook
that does not extract stops the run with the extraction errors.

Options:
  --nodes a,b               run only these nodes
  --from-nodes a,b          these nodes and everything downstream of them
  --to-nodes a,b            these nodes and everything upstream of them
  --tags t1,t2              nodes with any of these tags
  --from-inputs d1,d2       nodes that depend on these datasets
  --to-outputs d1,d2        nodes needed to produce these datasets
  --params k=v,k2=v2        override parameters (values read as JSON when they parse: 5, true, [1,2])
  --env ENV                 configuration environment: conf/ENV over conf/base (default: local)
  --load-versions d:VERSION load this version of a versioned dataset (repeatable, or comma-separated)
  --force, --no-cache       rerun every node even if nothing changed
  --no-extract              do not extract a changed notebook: refuse to run, saying what changed
  --on workers              queue the run on Redis for \`cellforge worker\` processes and follow it
                            (progress, outcome); Ctrl-C cancels it (default: --on local, in this process)`;

function loadVersions(values: string[]): Record<string, string> {
  const pinned: Record<string, string> = {};
  for (const value of values) {
    const colon = value.indexOf(":");
    if (colon <= 0 || colon === value.length - 1)
      throw new UsageError(
        `--load-versions expects name:VERSION (e.g. model:2026-01-31T09.15.00.000Z), not \`${value}\`.`,
      );
    pinned[value.slice(0, colon)] = value.slice(colon + 1);
  }
  return pinned;
}

/** On SIGINT/SIGTERM: remove half-written temporary files, end the run as KILLED, then exit. */
export function endOnSignals(getRun: () => StartedRun | undefined, command = "run"): () => void {
  const handlers = (["SIGINT", "SIGTERM"] as const).map((signal) => {
    const handler = (): void => {
      removePendingTemporaryFiles();
      const run = getRun();
      const exitCode = signal === "SIGINT" ? 130 : 143;
      console.error(
        `\ncellforge ${command}: ${signal} received${run === undefined ? "" : `, run ${run.runId.slice(0, 8)} marked KILLED`}.`,
      );
      const end = run === undefined ? Promise.resolve() : run.end("KILLED", `Stopped by ${signal}.`);
      // A signal ends the command: this is the CLI, the one place allowed to exit the process.
      void end.finally(() => process.exit(exitCode));
    };
    process.once(signal, handler);
    return [signal, handler] as const;
  });
  return () => {
    for (const [signal, handler] of handlers) process.removeListener(signal, handler);
  };
}

const run: Command = {
  name: "run",
  summary: "run a pipeline against the data catalog and track the run",
  usage,
  async run(args) {
    const parsed = parseOptions(
      args,
      {
        nodes: { type: "string", multiple: true },
        "from-nodes": { type: "string", multiple: true },
        "to-nodes": { type: "string", multiple: true },
        tags: { type: "string", multiple: true },
        "from-inputs": { type: "string", multiple: true },
        "to-outputs": { type: "string", multiple: true },
        params: { type: "string", multiple: true },
        env: { type: "string" },
        "load-versions": { type: "string", multiple: true },
        force: { type: "boolean" },
        "no-cache": { type: "boolean" },
        "no-extract": { type: "boolean" },
        on: { type: "string" },
      },
      1,
    );
    // Split by parseParamsOption, not at every comma: values may be JSON arrays (--params layers=[64,32]).
    const params = ((parsed.values["params"] as string[] | undefined) ?? []).flatMap(parseParamsOption);
    // TensorFlow.js and the session load on use, so that `cellforge --help` stays instant.
    const { useFastestBackend } = await import("../../tfjs/backend.ts");
    const { RunFailedError, runSession } = await import("../../session/run-session.ts");
    const env = stringOption(parsed, "env");
    const { findProjectRoot } = await import("../../config/project-root.ts");
    const { defaultPipelineName } = await import("../../pipeline/load-pipeline.ts");
    const root = findProjectRoot();
    const pipelineName = parsed.positionals[0] ?? defaultPipelineName(root);
    const { syncPipeline } = await import("../pipelines-sync.ts");
    const on = stringOption(parsed, "on") ?? "local";
    if (on !== "local" && on !== "workers") throw new UsageError(`--on expects local or workers, not \`${on}\`.`);
    // A local run imports the pipeline next; a queued one only reads its outline (workers/pipeline-outline.ts).
    const extract = parsed.values["no-extract"] !== true;
    const sync = await syncPipeline(root, pipelineName, { extract, preload: on === "local" });
    if (sync.kind === "extracted") console.log(`${sync.notebook} changed: extracted again (${sync.changes})`);

    const filter = {
      nodeNames: listOption(parsed, "nodes"),
      fromNodes: listOption(parsed, "from-nodes"),
      toNodes: listOption(parsed, "to-nodes"),
      tags: listOption(parsed, "tags"),
      fromInputs: listOption(parsed, "from-inputs"),
      toOutputs: listOption(parsed, "to-outputs"),
    };
    if (on === "workers") {
      const { runOnWorkers } = await import("../run-on-workers.ts");
      return runOnWorkers({
        root,
        pipeline: pipelineName,
        env: env ?? "local",
        params,
        filter,
        force: parsed.values["force"] === true || parsed.values["no-cache"] === true,
      });
    }

    let started: StartedRun | undefined;
    const stopHandling = endOnSignals(() => started);
    try {
      const outcome = await runSession({
        cwd: root,
        pipeline: pipelineName,
        ...(env === undefined ? {} : { env }),
        params,
        filter,
        loadVersions: loadVersions(listOption(parsed, "load-versions")),
        force: parsed.values["force"] === true || parsed.values["no-cache"] === true,
        onReady: async (pipeline) => {
          const backend = (await useFastestBackend()).description;
          console.log(`cellforge run ${pipeline.name} · TensorFlow.js backend ${backend} · env ${env ?? "local"}`);
          return { "cellforge.backend": backend };
        },
        onRunStarted: (handle) => {
          started = handle;
          console.log(`run ${handle.runId} · pipeline ${handle.pipeline.name}`);
        },
      });
      const counts = { ran: 0, replayed: 0, skipped: 0 };
      for (const node of outcome.result.nodes) if (node.status !== "failed") counts[node.status]++;
      const parts = [
        `${counts.ran} ran`,
        ...(counts.replayed > 0 ? [`${counts.replayed} replayed`] : []),
        `${counts.skipped} skipped (unchanged)`,
      ];
      console.log(
        `\nRun ${outcome.run.id.slice(0, 8)} FINISHED in ${formatDuration(outcome.result.durationMs)}: ${parts.join(", ")}.`,
      );
      const metrics = Object.entries(outcome.run.metrics);
      if (metrics.length > 0) console.log(`Metrics: ${metrics.map(([k, v]) => `${k} ${formatValue(v)}`).join(" · ")}`);
      if (outcome.model !== undefined) {
        const { version, created } = outcome.model;
        console.log(
          created
            ? `Model ${version.name} version ${version.version} registered (cellforge models show ${version.name}:${version.version}).`
            : `Model ${version.name} unchanged: same as version ${version.version}.`,
        );
      } else if (outcome.registrationSkipped !== undefined) {
        console.log(`No model registered: ${outcome.registrationSkipped}`);
      }
      return 0;
    } catch (error) {
      if (error instanceof RunFailedError) {
        console.error(`\n✗ Run ${error.runId.slice(0, 8)} FAILED: ${error.message}`);
        return 1;
      }
      throw error;
    } finally {
      stopHandling();
    }
  },
};

export default run;
