// Chaos, as an outside tester would run it: first runs and registration (concurrent `cellforge run`
// pairs with weight and sha256 checks, kill -9 during runs and registration), then the server
// (overload with immediate retries, hostile CSV headers, oversized bodies, extreme values, /health
// timed from its own process). Prints the counts that must be 0 and /health's p99 (goal ≤ 100 ms).
// npx tsx bench/chaos.ts [--pairs 10] [--kills 20] [--seconds 20] [--fixture]
import { parseArgs } from "node:util";
import { chaosRuns, printChaosRuns } from "./chaos-runs.ts";
import { chaosServe } from "./chaos-serve.ts";

const { values } = parseArgs({
  options: {
    pairs: { type: "string" },
    kills: { type: "string" },
    seconds: { type: "string" },
    fixture: { type: "boolean" },
  },
});
const count = (value: string | undefined, name: string): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} expects a whole number, not \`${value}\``);
  return n;
};
const pairs = count(values.pairs, "pairs");
const kills = count(values.kills, "kills");
const seconds = count(values.seconds, "seconds");
process.env["CELLFORGE_TF_BACKEND"] ??= "wasm";

console.log("# Runs and registration");
const runs = await chaosRuns({ ...(pairs === undefined ? {} : { pairs }), ...(kills === undefined ? {} : { kills }) });
printChaosRuns(runs);

console.log("\n# Server");
const serve = await chaosServe({ fixture: values.fixture === true, ...(seconds === undefined ? {} : { seconds }) });

const defects =
  runs.wrongWeightVersions +
  runs.wrongReportedVersions +
  runs.partialFiles +
  runs.leftoverStaging +
  runs.runningForever +
  runs.unknownVersionFolders +
  runs.corruptVersions;
console.log("\n# Summary");
console.log(
  `wrong-weight versions ${runs.wrongWeightVersions} · partial files ${runs.partialFiles} · 5xx ${serve.serverErrors} · /health p99 under attack ${serve.health.p99.toFixed(0)} ms (goal ≤ 100)`,
);
process.exitCode = defects === 0 && serve.serverErrors === 0 && serve.health.p99 <= 100 ? 0 : 1;
