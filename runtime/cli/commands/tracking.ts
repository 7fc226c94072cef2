/** `cellforge tracking migrate`: copies a local tracking history into a team's PostgreSQL store. */
import { copyHistory } from "../../stores/copy-history.ts";
import { maskUri } from "../../tracking/masked-uri.ts";
import { commandWithActions, UsageError } from "../command.ts";
import { parseOptions, stringOption } from "../options.ts";

const usage = `Usage: cellforge tracking migrate --from FILE --to URI

  cellforge tracking migrate --from .cellforge/tracking.db --to postgresql://USER:PASSWORD@HOST:5432/DATABASE
      copies the runs (metrics, parameters, tags, artifacts' records, inputs, logs), model versions and
      aliases of a local SQLite tracking file into a PostgreSQL store; running it again copies only
      what is new (a run, version or alias already there is kept as it is)`;

async function migrate(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { from: { type: "string" }, to: { type: "string" } }, 0);
  const from = stringOption(parsed, "from");
  const to = stringOption(parsed, "to");
  if (from === undefined || to === undefined) throw new UsageError("tracking migrate needs --from FILE and --to URI.");
  const copied = await copyHistory(from, to);
  console.log(
    `Copied ${copied.runs} run(s) (${copied.runsAlreadyThere} already there), ${copied.modelVersions} model version(s) ` +
      `(${copied.modelVersionsAlreadyThere} already there) and ${copied.aliases} alias(es) from ${from} to ${maskUri(to)}.`,
  );
  if (copied.modelVersionConflicts.length === 0) return 0;
  for (const { name, version, run, teamRun } of copied.modelVersionConflicts)
    console.error(
      `Not copied: ${name}:${version} here is run ${run.slice(0, 8)}'s model, but ${name}:${version} in the team store is run ${teamRun.slice(0, 8)}'s.`,
    );
  console.error(
    "Version numbers are the team store's: those runs were copied (cellforge runs show RUN) and their models stay in the local file; train them again against the team store to register them there.",
  );
  return 1;
}

export default commandWithActions({
  name: "tracking",
  summary: "copy a local tracking history into a team's PostgreSQL store",
  usage,
  actions: { migrate },
});
