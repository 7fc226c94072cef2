// Prints how long `extract notebooks/train.ipynb` takes cold (a fresh process) and warm (a second run in one process),
// and how long `extract --check` takes when nothing changed (the pre-commit hook) and when the notebook changed.
// Run: npx tsx bench/extract.ts [notebook]   (goals on the reference machine: cold extract < 3 s, unchanged --check < 0.5 s)
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const notebook = process.argv[2] ?? "notebooks/train.ipynb";
const bin = join(root, "extractor/bin/extract.js");
const scratch = join(root, ".tmp", "bench");
mkdirSync(scratch, { recursive: true });
const dir = mkdtempSync(join(scratch, "extract-"));
const copy = join(dir, "notebook.ipynb");
copyFileSync(join(root, notebook), copy);
const args = [copy, "--out", join(dir, "out"), "--catalog", join(dir, "catalog.yml")];

/** Wall and CPU seconds of one `extract` process (CPU shows the cost when the machine is busy). */
function run(extra: string[]): { wall: number; code: number } {
  const start = performance.now();
  let code = 0;
  try {
    execFileSync(process.execPath, [bin, ...args, ...extra], { stdio: "ignore" });
  } catch (error) {
    code = (error as { status?: number }).status ?? -1;
  }
  return { wall: (performance.now() - start) / 1000, code };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const rounds = Number(process.env["ROUNDS"] ?? 3);
const cold: number[] = [];
const check: number[] = [];
for (let i = 0; i < rounds; i++) {
  cold.push(run([]).wall);
  check.push(run(["--check"]).wall);
}

// A changed notebook: the slow path of --check regenerates and diffs.
const json = JSON.parse(readFileSync(copy, "utf8")) as {
  cells: Array<{ cell_type: string; source: string[] | string }>;
};
const code = json.cells.find((cell) => cell.cell_type === "code");
if (code !== undefined) code.source = [...(Array.isArray(code.source) ? code.source : [code.source]), "\n// changed"];
writeFileSync(copy, JSON.stringify(json));
const changed = run(["--check"]);

// Warm: a second extraction in one process reuses the loaded ts-morph project.
const { planExtraction } = await import("../extractor/cli/extract.ts");
const options = { outDir: join(dir, "warm") };
await planExtraction(copy, options);
const warmStart = performance.now();
await planExtraction(copy, options);
const warm = (performance.now() - warmStart) / 1000;

const cpus = (await import("node:os")).cpus().length;
const load = (await import("node:os")).loadavg()[0] ?? 0;
console.log(`extract ${notebook} (${rounds} rounds, medians; ${cpus} CPUs, load ${load.toFixed(1)})`);
console.log(`  cold extract (new process)      ${median(cold).toFixed(2)} s`);
console.log(`  warm extract (same process)     ${warm.toFixed(2)} s`);
console.log(
  `  --check, unchanged (hashes)     ${median(check).toFixed(2)} s   ratio to cold ${(median(check) / median(cold)).toFixed(2)}`,
);
console.log(`  --check, changed (regenerate)   ${changed.wall.toFixed(2)} s   exit ${changed.code}`);
rmSync(dir, { recursive: true, force: true });
