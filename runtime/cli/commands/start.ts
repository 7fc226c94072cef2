/**
 * `cellforge start` (`npm start`): the whole flow in one command — pipelines/ checked against the
 * notebooks, the pipeline trained and its model registered (or the registered model reused when
 * its data, code and parameters did not change), @champion set when no version has it, and the
 * model served with the web UI.
 */
import type { JsonSchema } from "../../pipeline/definition.ts";
import type { ModelVersion } from "../../registry/registry-store.ts";
import type { StartedRun } from "../../session/run-session.ts";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";
import { parseOptions, stringOption } from "../options.ts";
import { serverOptions } from "../server-options.ts";
import { formatDuration } from "../table.ts";
import { stopSignal } from "../stop-signal.ts";
import { endOnSignals } from "./run.ts";

const usage = `Usage: cellforge start [options]

The example project's whole flow, in one command (what \`npm start\` runs):
  1. checks that pipelines/ matches notebooks/ (\`extract --all --check\`), extracting the notebooks
     that changed; one that does not extract is reported and skipped, unless it is the one trained;
  2. trains the pipeline (the only one, else \`train\`) on the catalog's data, with progress —
     or reuses the registered model when its training data, node code and parameters are the
     same as now;
  3. registers the model, and points @champion at it when no version has that alias yet;
  4. serves it with the web UI, and prints the server URL, the UI URL and a sample request.

Options:
  --port N      port to listen on (default 3000, or port in conf/base/serving.yml; 0 picks a free one)
  --host HOST   address to listen on (default 127.0.0.1: this machine only)
  --retrain     train again even if nothing changed (every node reruns)
  --no-serve    stop after training and registering
  --env ENV     configuration environment: conf/ENV over conf/base (default: local)

Environment:
  CELLFORGE_ADMIN_TOKEN   enables moving aliases in the web UI and POST /admin/reload
  CELLFORGE_TF_BACKEND    tensorflow | wasm | cpu (default: the fastest available)

Ctrl-C stops: a training run in progress is marked KILLED; the server answers the requests in
flight, then exits.`;

/** The alias `start` sets when no version has it. */
const CHAMPION = "champion";

function step(text: string): void {
  console.log(`\n● ${text}`);
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** A number of a prediction: a probability-like field as a percentage, anything else to 3 significant digits. */
function formatAnswerNumber(key: string, value: number): string {
  if (/probab|score|share/i.test(key) && value >= 0 && value <= 1)
    return value > 0 && value < 0.001 ? "<0.1%" : `${(value * 100).toFixed(1)}%`;
  return String(Number(value.toPrecision(3)));
}

/** One line for a prediction: strings and numbers as they are, a record of numbers by its top entry. */
function summarize(answer: unknown): string {
  if (typeof answer !== "object" || answer === null || Array.isArray(answer)) return JSON.stringify(answer);
  return Object.entries(answer as Record<string, unknown>)
    .map(([key, value]) => {
      if (typeof value === "number") return `${key} ${formatAnswerNumber(key, value)}`;
      if (typeof value === "object" && value !== null && !Array.isArray(value)) {
        const top = Object.entries(value as Record<string, unknown>)
          .filter((e): e is [string, number] => typeof e[1] === "number")
          .sort(([, a], [, b]) => b - a)[0];
        return top === undefined ? `${key} {…}` : `${key} ${top[0]} ${formatAnswerNumber(key, top[1])}…`;
      }
      return `${key} ${typeof value === "string" ? value : JSON.stringify(value)}`;
    })
    .join(" · ");
}

/** Trains (or reuses) the model; resolves to the version to serve. */
async function trainOrReuse(root: string, env: string | undefined, retrain: boolean): Promise<ModelVersion> {
  const { defaultPipelineName, loadPipeline } = await import("../../pipeline/load-pipeline.ts");
  const { checkModelFreshness } = await import("../../session/model-freshness.ts");
  const name = defaultPipelineName(root);
  const pipeline = await loadPipeline(root, name);
  let force = retrain;
  if (retrain) {
    step(`Training \`${name}\` again (--retrain): every node reruns`);
  } else {
    const freshness = await checkModelFreshness({ root, pipeline, ...(env === undefined ? {} : { env }) });
    const { version } = freshness;
    if (version !== undefined && freshness.changes.length === 0 && freshness.codeChecked) {
      step(
        `Reusing model ${version.name}:${version.version}: its training data, node code and parameters are unchanged (--retrain to train anyway)`,
      );
      return version;
    }
    if (freshness.changes.length === 0) {
      step(
        `Checking \`${name}\`: the run that trained ${version?.name}:${version?.version} did not record its code hashes, so the runner reruns only the nodes that changed`,
      );
    } else {
      step(
        `Training \`${name}\`: ${freshness.changes.length === 1 ? freshness.changes[0] : "what changed since the last model:"}`,
      );
      if (freshness.changes.length > 1) for (const change of freshness.changes) console.log(`  - ${change}`);
    }
    force = false;
  }

  const { useFastestBackend } = await import("../../tfjs/backend.ts");
  const { RunFailedError, runSession } = await import("../../session/run-session.ts");
  let started: StartedRun | undefined;
  const stopHandling = endOnSignals(() => started, "start");
  try {
    const outcome = await runSession({
      cwd: root,
      pipeline: name,
      ...(env === undefined ? {} : { env }),
      force,
      tags: { "cellforge.command": "start" },
      onReady: async () => {
        const backend = (await useFastestBackend()).description;
        console.log(`  TensorFlow.js backend ${backend}`);
        return { "cellforge.backend": backend };
      },
      onRunStarted: (handle) => {
        started = handle;
        console.log(`  run ${handle.runId}`);
      },
    });
    console.log(`  Run ${outcome.run.id.slice(0, 8)} finished in ${formatDuration(outcome.result.durationMs)}.`);
    if (outcome.model === undefined)
      throw new UsageError(
        `the run registered no model: ${outcome.registrationSkipped ?? `pipeline \`${name}\` has no predict cell`}.`,
      );
    const { version, created } = outcome.model;
    console.log(
      created
        ? `  Registered model ${version.name}:${version.version}.`
        : `  The model is unchanged: still ${version.name}:${version.version}.`,
    );
    return version;
  } catch (error) {
    if (error instanceof RunFailedError)
      throw new UsageError(`run ${error.runId.slice(0, 8)} failed: ${error.message}`);
    throw error;
  } finally {
    stopHandling();
  }
}

/** Points @champion at `version` when no version has it; says where it points otherwise. */
async function ensureChampion(root: string, env: string | undefined, version: ModelVersion): Promise<void> {
  const { openProjectRegistry } = await import("../../stores/project-stores.ts");
  const opened = await openProjectRegistry({ cwd: root, ...(env === undefined ? {} : { env }) });
  try {
    const current = await opened.registry.store.getAlias(version.name, CHAMPION);
    if (current === undefined) {
      await opened.registry.promote(version.name, version.version, CHAMPION);
      console.log(`  @${CHAMPION} → ${version.name}:${version.version} (no version had it yet).`);
    } else if (current !== version.version) {
      console.log(
        `  @${CHAMPION} stays on ${version.name}:${current}; to promote this version: npx cellforge models promote ${version.name} ${version.version} --alias ${CHAMPION} (or in the UI's Models page).`,
      );
    }
  } finally {
    await opened.close();
  }
}

/** The sample request: Charizard's row of the catalog's CSV data shaped by the request schema, else a made-up record. */
async function sampleRequest(
  root: string,
  env: string | undefined,
  schema: JsonSchema,
): Promise<{ record: unknown; from: string }> {
  const { loadProjectConfig } = await import("../../config/config-loader.ts");
  const { csvDatasets, defaultSampleRecord } = await import("../../ui/sample-record.ts");
  const { exampleFor } = await import("../../serve/example-record.ts");
  const datasets = csvDatasets(root, loadProjectConfig(root, env).catalog);
  const sample = defaultSampleRecord(datasets, schema);
  if (sample !== undefined) {
    const path = datasets[sample.dataset]!.slice(root.length + 1);
    const kind = [sample.row["type1"], sample.row["type2"]].filter((t) => t !== undefined && t !== "").join("/");
    return { record: sample.record, from: `${sample.label}${kind === "" ? "" : ` (${kind})`}, from ${path}` };
  }
  return { record: exampleFor(schema) ?? {}, from: "a record made up from the request schema" };
}

const start: Command = {
  name: "start",
  summary: "extract, train, register and serve the example project in one go",
  usage,
  async run(args) {
    const began = performance.now();
    const parsed = parseOptions(
      args,
      {
        port: { type: "string" },
        host: { type: "string" },
        retrain: { type: "boolean" },
        "no-serve": { type: "boolean" },
        env: { type: "string" },
      },
      0,
    );
    const { settings, adminToken, logger } = serverOptions(parsed);
    const env = stringOption(parsed, "env");
    const { findProjectRoot } = await import("../../config/project-root.ts");
    const root = findProjectRoot();

    console.log(`cellforge start · ${root}`);
    const { syncPipelines } = await import("../pipelines-sync.ts");
    const { listPipelines } = await import("../../pipeline/load-pipeline.ts");
    const pipelines = listPipelines(root);
    // The pipeline start trains, when it can be told before extraction; a broken notebook of another one does not stop it.
    const served = pipelines.length === 1 ? pipelines[0] : pipelines.includes("train") ? "train" : undefined;
    const sync = await syncPipelines(root, served);
    if (sync.kind === "up-to-date")
      step(
        `pipelines/ matches notebooks/${sync.skipped.length > 0 ? " that extract" : ""} (extract --check, ${sync.seconds.toFixed(1)} s)`,
      );
    else
      step(
        `pipelines/ did not match notebooks/, so it was extracted again (${sync.seconds.toFixed(1)} s): ${sync.drift}`,
      );
    for (const notebook of sync.skipped) {
      console.log(
        `  ${notebook} does not extract: skipped${served === undefined ? "" : `, \`${served}\` is trained and served all the same`} (\`npx extract ${notebook}\` says why).`,
      );
    }

    const version = await trainOrReuse(root, env, parsed.values["retrain"] === true);
    await ensureChampion(root, env, version);
    const reference = `${version.name}:${version.version}`;
    if (parsed.values["no-serve"] === true) {
      console.log(
        `\nReady in ${formatDuration(performance.now() - began)}: model ${reference} is registered (--no-serve: not serving it).`,
      );
      return 0;
    }

    step(`Serving ${reference}`);
    const { startModelServer } = await import("../../serve/model-server.ts");
    const { mountUi } = await import("../../ui/mount.ts");
    const stopped = stopSignal();
    const server = await startModelServer({
      cwd: root,
      reference,
      ...(env === undefined ? {} : { env }),
      settings,
      adminToken,
      logger,
      mounts: [mountUi],
    });
    const url = server.url!;
    const sample = await sampleRequest(root, env, version.inputSchema);
    const body = JSON.stringify(sample.record);
    const answer = await server.app.inject({
      method: "POST",
      url: "/predict",
      headers: { "content-type": "application/json" },
      payload: body,
    });
    console.log(`
Ready in ${formatDuration(performance.now() - began)}.

  Server   ${url}   (API docs ${url}/docs)
  Web UI   ${url}/ui
  Try it   curl -s ${url}/predict -H 'content-type: application/json' \\
             -d ${shellQuote(body)}
           ${sample.from}${answer.statusCode === 200 ? `\n           → ${summarize(answer.json())}` : ""}
${adminToken ? "" : "\n  (Set CELLFORGE_ADMIN_TOKEN to move aliases from the UI.)"}
Ctrl-C to stop.`);
    const signal = await stopped;
    console.log(`\ncellforge start: ${signal}: stopping the server…`);
    await server.close();
    console.log("cellforge start: stopped.");
    return 0;
  },
};

export default start;
