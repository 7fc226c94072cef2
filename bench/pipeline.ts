// Prints the wall time of `cellforge run train` on the embedded data: a first run (every node), a rerun with
// nothing changed (every node skipped), a rerun after changing only `epochs`, and `--force`; next to the floor
// of a `cellforge` process measured in the same run (`cellforge runs list`: Node, tsx, SQLite, no TF.js).
// Run: npx tsx bench/pipeline.ts   (ROUNDS=3 for medians)
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { copyExampleProject, repoRoot } from "./example-project.ts";

const bin = join(repoRoot, "node_modules/.bin/cellforge");
const rounds = Number(process.env["ROUNDS"] ?? 1);

/** Wall seconds of one `cellforge` process in `cwd`, and the summary line it printed. */
function cellforge(cwd: string, args: string[]): { seconds: number; summary: string } {
  const start = performance.now();
  const out = execFileSync(bin, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const seconds = (performance.now() - start) / 1000;
  return { seconds, summary: out.split("\n").find((line) => line.startsWith("Run ")) ?? "" };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const rows: Record<string, { seconds: number[]; summary: string }> = {};
const record = (name: string, result: { seconds: number; summary: string }): void => {
  rows[name] ??= { seconds: [], summary: "" };
  rows[name].seconds.push(result.seconds);
  rows[name].summary = result.summary;
};

for (let round = 0; round < rounds; round++) {
  const project = copyExampleProject();
  try {
    record("floor: cellforge runs list", cellforge(project.root, ["runs", "list"]));
    record("first run (all nodes)", cellforge(project.root, ["run", "train"]));
    record("rerun, nothing changed", cellforge(project.root, ["run", "train"]));
    record("rerun, --params epochs=20", cellforge(project.root, ["run", "train", "--params", "epochs=20"]));
    record("rerun, --force", cellforge(project.root, ["run", "train", "--force"]));
  } finally {
    project.remove();
  }
}

const floor = median(rows["floor: cellforge runs list"]!.seconds);
console.log(
  `cellforge run train on the embedded data (${cpus().length} CPUs, median of ${rounds} round${rounds === 1 ? "" : "s"})\n`,
);
const width = Math.max(...Object.keys(rows).map((name) => name.length));
for (const [name, { seconds, summary }] of Object.entries(rows)) {
  const s = median(seconds);
  console.log(
    `${name.padEnd(width)}  ${s.toFixed(2).padStart(6)} s  ${(s / floor).toFixed(1).padStart(5)}× floor  ${summary.replace(/^Run \w+ /, "")}`,
  );
}
