/** `cellforge runs list|show|compare`: the tracked runs of the project. */
import { splitCodeHashes } from "../../tracking/code-hashes.ts";
import type { RunDetails, RunInfo } from "../../tracking/store.ts";
import { readRunFilter, unknownFilterNames } from "../../tracking/run-filter.ts";
import { withoutRepeatedMetrics } from "../../tracking/repeated-metrics.ts";
import { commandWithActions, UsageError } from "../command.ts";
import { integerOption, parseOptions, stringOption } from "../options.ts";
import { formatBytes, formatDuration, formatTime, formatValue, renderPairs, renderTable, truncate } from "../table.ts";
import { withProjectStore } from "../tracking-store.ts";

const usage = `Usage: cellforge runs <list|show|compare> [options]

  cellforge runs list [--filter EXPR] [--limit N] [--pipeline NAME]
      the runs, newest first; EXPR as in MLflow's search syntax (= != < <= > >= LIKE ILIKE IN, NOT IN;
      AND, OR, parentheses; quoted values, \`backticked names\`), e.g.
      --filter "metrics.accuracy > 0.3 and (params.epochs = 50 or tags.team = 'dex') and status = FINISHED"
  cellforge runs show ID
      one run: parameters, metrics (with their step history), input datasets, artifacts, logs;
      ID may be any unique prefix of the run id
  cellforge runs compare ID ID
      two runs' parameters and metrics side by side, differences marked with *

Options:
  --env ENV   configuration environment (for conf/ENV/tracking.yml)`;

function duration(run: RunInfo): string {
  return run.endTime === undefined
    ? run.status === "RUNNING"
      ? "running"
      : ""
    : formatDuration(run.endTime - run.startTime);
}

function compactMetrics(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(" ");
}

async function list(args: string[]): Promise<number> {
  const parsed = parseOptions(
    args,
    { filter: { type: "string" }, limit: { type: "string" }, pipeline: { type: "string" }, env: { type: "string" } },
    0,
  );
  const filterText = stringOption(parsed, "filter");
  const filter = filterText === undefined ? undefined : readRunFilter(filterText);
  const limit = integerOption(parsed, "limit") ?? 20;
  const pipeline = stringOption(parsed, "pipeline");
  const query = pipeline === undefined ? {} : { pipeline };
  // The store evaluates the filter, so only the matching runs are read; the field names are read for the warnings only.
  const { matching, names, any } = await withProjectStore(stringOption(parsed, "env"), async (store) => {
    const matching = await store.searchRuns({ ...query, ...(filter === undefined ? {} : { filter }) });
    return {
      matching,
      names: filter === undefined ? undefined : await store.runFieldNames(query),
      any: matching.length > 0 || (await store.listRuns({ ...query, limit: 1 })).length > 0,
    };
  });
  if (filterText !== undefined && names !== undefined)
    for (const warning of unknownFilterNames(filterText, names)) console.error(`warning: ${warning}`);
  const shown = matching.slice(0, limit);
  if (shown.length === 0) {
    console.log(!any ? "No runs yet: start one with `cellforge run`." : "No run matches the filter.");
    return 0;
  }
  const rows = shown.map((r) => [
    r.id.slice(0, 8),
    r.pipeline,
    r.status,
    formatTime(r.startTime),
    duration(r),
    truncate(compactMetrics(r.metrics), 70),
  ]);
  console.log(renderTable(["id", "pipeline", "status", "started", "duration", "metrics"], rows));
  const hidden = matching.length - shown.length;
  if (hidden > 0) console.log(`… and ${hidden} more (--limit ${limit + hidden} to see them).`);
  return 0;
}

async function findRun(id: string, env: string | undefined): Promise<RunDetails> {
  const run = await withProjectStore(env, (store) => store.getRun(id));
  if (run === undefined) throw new UsageError(`no run has an id starting with \`${id}\`; see \`cellforge runs list\`.`);
  return run;
}

function history(run: RunDetails, key: string): string {
  const points = run.metricHistory.filter((m) => m.key === key);
  if (points.length <= 1) return "";
  return `  (${points.length} steps: ${formatValue(points[0]!.value)} → ${formatValue(points.at(-1)!.value)})`;
}

async function show(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { env: { type: "string" } }, 1);
  const id = parsed.positionals[0];
  if (id === undefined) throw new UsageError("runs show needs a run ID (or a unique prefix of one).");
  const run = withoutRepeatedMetrics(await findRun(id, stringOption(parsed, "env")));
  const out: string[] = [`Run ${run.id}  ${run.pipeline}  ${run.status}`];
  const { codeHashes, otherTags } = splitCodeHashes(run.tags);
  out.push(
    renderPairs([
      ["experiment", run.experiment],
      ["started", `${formatTime(run.startTime)}${run.endTime === undefined ? "" : `  (${duration(run)})`}`],
      [
        "git",
        run.gitCommit === undefined
          ? "(not a git repository)"
          : `${run.gitCommit.slice(0, 12)}${run.gitDirty === true ? " (uncommitted changes)" : ""}`,
      ],
      ...otherTags.map(([k, v]) => [`tag ${k}`, v] as const),
      ...(run.error === undefined ? [] : [["error", run.error.split("\n").join("\n" + " ".repeat(14))] as const]),
    ]),
  );
  out.push(
    "",
    "Parameters",
    Object.keys(run.params).length === 0
      ? "  (none)"
      : renderPairs(Object.entries(run.params).map(([k, v]) => [k, formatValue(v)])),
  );
  if (codeHashes !== undefined)
    out.push(
      "",
      "Node code (sha256)",
      renderPairs(Object.entries(codeHashes).map(([node, hash]) => [node, hash.slice(0, 16)])),
    );
  out.push(
    "",
    "Metrics",
    Object.keys(run.metrics).length === 0
      ? "  (none)"
      : renderPairs(Object.entries(run.metrics).map(([k, v]) => [k, `${formatValue(v)}${history(run, k)}`])),
  );
  if (run.inputs.length > 0) {
    out.push("", "Input datasets");
    out.push(
      renderTable(
        ["name", "sha256", "rows", "path"],
        run.inputs.map((i) => [
          i.name,
          i.digest.slice(0, 16),
          i.rows === undefined ? "" : String(i.rows),
          i.path ?? "",
        ]),
      ).replace(/^/gm, "  "),
    );
  }
  if (run.artifacts.length > 0) {
    out.push("", "Artifacts");
    out.push(
      renderTable(
        ["path", "sha256", "size", "dataset"],
        run.artifacts.map((a) => [a.path, a.sha256.slice(0, 16), formatBytes(a.size), a.dataset ?? ""]),
      ).replace(/^/gm, "  "),
    );
  }
  if (run.logs.length > 0) {
    out.push("", "Logs");
    for (const log of run.logs)
      out.push(
        `  ${log.node === undefined ? "" : `${log.node}: `}${log.level === "warn" ? "warning: " : ""}${log.message}`,
      );
  }
  console.log(out.join("\n"));
  return 0;
}

async function compare(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { env: { type: "string" } }, 2);
  if (parsed.positionals.length !== 2) throw new UsageError("runs compare needs two run IDs.");
  const env = stringOption(parsed, "env");
  const [a, b] = [await findRun(parsed.positionals[0]!, env), await findRun(parsed.positionals[1]!, env)].map(
    withoutRepeatedMetrics,
  ) as [RunDetails, RunDetails];
  const section = (title: string, left: Record<string, unknown>, right: Record<string, unknown>): string[][] => {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return [
      ["", title, "", ""],
      ...keys.map((k) => {
        const [l, r] = [
          left[k] === undefined ? "—" : formatValue(left[k]),
          right[k] === undefined ? "—" : formatValue(right[k]),
        ];
        return [l === r ? "" : "*", k, l, r];
      }),
    ];
  };
  const rows = [
    ["", "pipeline", a.pipeline, b.pipeline],
    [a.status === b.status ? "" : "*", "status", a.status, b.status],
    ["", "started", formatTime(a.startTime), formatTime(b.startTime)],
    ["", "duration", duration(a), duration(b)],
    [a.gitCommit === b.gitCommit ? "" : "*", "git", a.gitCommit?.slice(0, 12) ?? "—", b.gitCommit?.slice(0, 12) ?? "—"],
    ...section("parameters", a.params, b.params),
    ...section("metrics", a.metrics, b.metrics),
  ];
  const table = renderTable(["", "run", a.id.slice(0, 8), b.id.slice(0, 8)], rows, true);
  const differences = rows.filter((r) => r[0] === "*").length;
  console.log(
    `${table}\n\n${differences === 0 ? "No differences in parameters and metrics." : `* marks the ${differences} difference${differences === 1 ? "" : "s"}.`}`,
  );
  return 0;
}

const runs = commandWithActions({
  name: "runs",
  summary: "list, show and compare tracked runs",
  usage,
  actions: { list, show, compare },
  defaultAction: "list",
});

export default runs;
