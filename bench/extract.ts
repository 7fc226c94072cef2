// How long `extract` takes on notebooks/train.ipynb and on the largest corpus notebook, against the plain TypeScript
// compiler type-checking the same generated modules, measured alternately in the same run:
//   cold   a new `extract` process (Node starts, loads ts-morph, parses the notebook's imports); the extractor keeps no
//          cache of what it reads, so there is no warm-cache variant (its own compiled build, which `extract --help`
//          makes first when the sources changed, is there for every run, and so are the V8 code caches of ts-morph
//          except in the first extract after an install, which makes them). "after a cell edit" runs with the out folder
//          holding the modules of the previous extract (as pipelines/ does in a checkout); "first" runs with no modules
//          there yet.
//   warm   a second extraction in the same process (the ts-morph project already loaded).
//   check  `extract --check`: unchanged (the pre-commit hook compares hashes) and after a cell edit (regenerates).
//   tsc    `tsc --noEmit` in a new process over the generated modules, with the project's tsconfig: the baseline.
// Run: npx tsx bench/extract.ts [notebook…]   (goals: cold extract of train.ipynb ≤ 3 s, unchanged --check ≤ 0.5 s)
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "extractor/bin/extract.js");
const tsc = join(root, "node_modules/typescript/bin/tsc");
const rounds = Number(process.env["ROUNDS"] ?? 3);
const corpus = "tests/fixtures/notebooks/corpus";

/** The largest corpus notebook (by size on disk). */
function largestCorpusNotebook(): string {
  const names = readdirSync(join(root, corpus)).filter((name) => name.endsWith(".ipynb"));
  const largest = names.sort((a, b) => statSync(join(root, corpus, b)).size - statSync(join(root, corpus, a)).size)[0];
  if (largest === undefined) throw new Error(`no notebooks in ${corpus}`);
  return `${corpus}/${largest}`;
}

// GNU time, when installed, reports the CPU seconds of each process: a steadier figure than wall time on a busy machine.
const gnuTime = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;

/** Wall seconds of one process, its CPU seconds (user + system; NaN without GNU time) and its exit code. */
function timed(file: string, args: string[]): { wall: number; cpu: number; code: number } {
  const cpuFile = join(root, ".tmp", "bench", "cpu.txt");
  const command = gnuTime === undefined ? process.execPath : gnuTime;
  const prefix = gnuTime === undefined ? [] : ["-f", "%U %S", "-o", cpuFile, process.execPath];
  const start = performance.now();
  let code = 0;
  try {
    execFileSync(command, [...prefix, file, ...args], { stdio: "ignore", cwd: root });
  } catch (error) {
    code = (error as { status?: number }).status ?? -1;
  }
  const wall = (performance.now() - start) / 1000;
  let cpu = Number.NaN;
  if (gnuTime !== undefined) {
    const [user, system] = (readFileSync(cpuFile, "utf8").trim().split("\n").at(-1) ?? "").split(" ").map(Number);
    cpu = (user ?? Number.NaN) + (system ?? Number.NaN);
  }
  return { wall, cpu, code };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

type NotebookJson = { cells: Array<{ cell_type: string; source: string[] | string }> };

/** Appends a comment line to the last code cell: a new notebook hash and new generated code, the same imports. */
function editCell(path: string, round: number): void {
  const json = JSON.parse(readFileSync(path, "utf8")) as NotebookJson;
  const code = json.cells.filter((cell) => cell.cell_type === "code").at(-1);
  if (code === undefined) throw new Error(`${path} has no code cell`);
  const source = Array.isArray(code.source) ? code.source.join("") : code.source;
  code.source = `${source.replace(/\n\/\/ bench edit \d+$/, "")}\n// bench edit ${round}`;
  writeFileSync(path, JSON.stringify(json));
}

interface Figures {
  first: number;
  firstCpu: number;
  cold: number[];
  coldCpu: number[];
  tsc: number[];
  tscCpu: number[];
  check: number[];
  changed: number;
  warm: number;
}

async function measure(notebook: string, scratch: string): Promise<Figures> {
  const dir = mkdtempSync(join(scratch, "extract-"));
  const copy = join(dir, "notebook.ipynb");
  copyFileSync(join(root, notebook), copy);
  const out = join(dir, "out");
  const args = [copy, "--out", out, "--catalog", join(dir, "catalog.yml")];
  const first = timed(bin, args);
  if (first.code !== 0) throw new Error(`extract ${notebook} failed (exit ${first.code}); run it by hand to see why`);
  // The baseline: the same modules, type-checked by tsc with the project's compiler options.
  const tsconfig = join(dir, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({ extends: join(root, "tsconfig.json"), include: ["out/*.ts"], compilerOptions: { noEmit: true } }),
  );
  const figures: Figures = {
    first: first.wall,
    firstCpu: first.cpu,
    cold: [],
    coldCpu: [],
    tsc: [],
    tscCpu: [],
    check: [],
    changed: 0,
    warm: 0,
  };
  for (let round = 1; round <= rounds; round++) {
    editCell(copy, round);
    const cold = timed(bin, args);
    if (cold.code !== 0) throw new Error(`extract ${notebook} failed after a cell edit (exit ${cold.code})`);
    figures.cold.push(cold.wall);
    figures.coldCpu.push(cold.cpu);
    const baseline = timed(tsc, ["-p", tsconfig]);
    if (baseline.code !== 0) throw new Error(`tsc found errors in the modules extracted from ${notebook}`);
    figures.tsc.push(baseline.wall);
    figures.tscCpu.push(baseline.cpu);
    figures.check.push(timed(bin, [...args, "--check"]).wall);
  }
  editCell(copy, rounds + 1);
  figures.changed = timed(bin, [...args, "--check"]).wall;

  const { planExtraction } = await import("../extractor/cli/extract.ts");
  const options = { outDir: join(dir, "warm") };
  await planExtraction(copy, options);
  const warmStart = performance.now();
  await planExtraction(copy, options);
  figures.warm = (performance.now() - warmStart) / 1000;
  rmSync(dir, { recursive: true, force: true });
  return figures;
}

const notebooks = process.argv.length > 2 ? process.argv.slice(2) : ["notebooks/train.ipynb", largestCorpusNotebook()];
const scratch = join(root, ".tmp", "bench");
mkdirSync(scratch, { recursive: true });
// Builds the extractor's compiled build (extractor/bin/build.js) when its sources changed, so no figure includes that.
timed(bin, ["--help"]);
const loadBefore = loadavg()[0] ?? 0;
const results: Array<[string, Figures]> = [];
for (const notebook of notebooks) results.push([notebook, await measure(notebook, scratch)]);
const loadAfter = loadavg()[0] ?? 0;

const s = (value: number): string => `${value.toFixed(2)} s`.padStart(7);
const cpuOf = (value: number): string => (Number.isNaN(value) ? "" : `   CPU ${s(value)}`);
console.log(
  `extract bench · ${cpus().length} CPUs · load ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} · ${rounds} rounds, medians`,
);
console.log(
  "cold = a new process, no cache of what extract reads; tsc = tsc --noEmit on the same modules, run alternately",
);
for (const [notebook, f] of results) {
  const base = median(f.tsc);
  const baseCpu = median(f.tscCpu);
  const ratio = (value: number): string => `ratio to tsc ${(value / base).toFixed(2)}`;
  const cpuRatio = (value: number): string => (Number.isNaN(value) ? "" : ` (CPU ${(value / baseCpu).toFixed(2)})`);
  console.log(`\n${notebook}`);
  console.log(`  tsc --noEmit, generated modules         ${s(base)}   (baseline)${cpuOf(baseCpu)}`);
  console.log(
    `  cold extract, after a cell edit         ${s(median(f.cold))}   ${ratio(median(f.cold))}${cpuRatio(median(f.coldCpu))}${cpuOf(median(f.coldCpu))}`,
  );
  console.log(
    `  cold extract, first (no modules yet)    ${s(f.first)}   ${ratio(f.first)}${cpuRatio(f.firstCpu)}${cpuOf(f.firstCpu)}`,
  );
  console.log(`  warm extract (same process)             ${s(f.warm)}   ${ratio(f.warm)}`);
  console.log(`  --check, unchanged (hashes)             ${s(median(f.check))}   ${ratio(median(f.check))}`);
  console.log(`  --check, after a cell edit (regenerate) ${s(f.changed)}   ${ratio(f.changed)}`);
}
