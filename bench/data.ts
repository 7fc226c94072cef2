/**
 * Data at scale: a 1M-row CSV (generated here) read and grouped (mean attack per type) with danfojs, with
 * DuckDB (the catalog's `engine: duckdb` reading, via runtime/catalog/duckdb.ts) and with pandas (Debian's
 * python3-pandas as /usr/bin/python3; skipped with a note when absent). Each runs in a child process of its
 * own, which reports its read + group-by time and its peak RSS; figures are printed side by side with
 * ratios against pandas, measured in the same run. Goal: DuckDB ≤ 1× pandas' time and memory.
 * Run: npx tsx bench/data.ts [--rows N] [--skip-danfo]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

interface Figures {
  seconds: number;
  peakRssMb: number;
  groups: number;
}

const TYPES = [
  "bug",
  "dark",
  "dragon",
  "electric",
  "fairy",
  "fighting",
  "fire",
  "flying",
  "ghost",
  "grass",
  "ground",
  "ice",
  "normal",
  "poison",
  "psychic",
  "rock",
  "steel",
  "water",
];

/** Writes `rows` Pokémon-like rows (id, name, type1, attack, defense, speed, legendary) to `path`. */
async function generate(path: string, rows: number): Promise<void> {
  const file = await open(path, "w");
  await file.write("id,name,type1,attack,defense,speed,legendary\n");
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let start = 0; start < rows; start += 50_000) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(rows, start + 50_000); i++) {
      const type = TYPES[Math.floor(random() * TYPES.length)]!;
      lines.push(
        `${i},mon ${i},${type},${5 + Math.floor(random() * 180)},${5 + Math.floor(random() * 200)},${(random() * 150).toFixed(1)},${random() < 0.08}`,
      );
    }
    await file.write(lines.join("\n") + "\n");
  }
  await file.close();
}

const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

/** One engine's read + group-by, in this (child) process. */
async function measure(engine: string, path: string): Promise<Figures> {
  if (engine === "danfojs") {
    const dfd = await import("danfojs-node");
    const start = performance.now();
    const frame = await dfd.readCSV(path);
    const means = frame.groupby(["type1"]).agg({ attack: "mean" });
    return { seconds: (performance.now() - start) / 1000, peakRssMb: peakRssMb(), groups: means.shape[0] ?? 0 };
  }
  const { queryColumns, withDuckDB } = await import("../runtime/catalog/duckdb.ts");
  const { csvRelation } = await import("../runtime/catalog/csv-dataset.ts");
  await withDuckDB(tmpdir(), (c) => queryColumns(c, "SELECT 1")); // the binding's import is not part of the figure
  const start = performance.now();
  const result = await withDuckDB(tmpdir(), (c) =>
    queryColumns(c, `SELECT type1, avg(attack) AS attack FROM ${csvRelation(path)} GROUP BY 1`),
  );
  return { seconds: (performance.now() - start) / 1000, peakRssMb: peakRssMb(), groups: result.rows };
}

const PANDAS = `
import resource, sys, time
import pandas as pd
start = time.perf_counter()
frame = pd.read_csv(sys.argv[1])
means = frame.groupby("type1")["attack"].mean()
seconds = time.perf_counter() - start
print('{"seconds": %f, "peakRssMb": %f, "groups": %d}' % (seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(means)))
`;

function child(command: string, args: string[]): Figures | string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(last) as Figures;
  } catch {
    return `failed (exit ${result.status}): ${result.stderr.trim().split("\n").slice(-3).join(" ")}`;
  }
}

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

async function main(): Promise<void> {
  const engineAt = process.argv.indexOf("--engine");
  if (engineAt !== -1) {
    console.log(JSON.stringify(await measure(process.argv[engineAt + 1]!, process.argv[engineAt + 2]!)));
    return;
  }
  const rows = option("--rows", 1_000_000);
  const folder = mkdtempSync(join(tmpdir(), "cellforge-bench-data-"));
  try {
    const path = join(folder, "pokemon-1m.csv");
    let start = performance.now();
    await generate(path, rows);
    console.log(
      `Generated ${rows.toLocaleString("en")} rows in ${((performance.now() - start) / 1000).toFixed(1)} s: ${path}`,
    );
    const self = fileURLToPath(import.meta.url);
    const node = (engine: string) => child(process.execPath, ["--import", "tsx", self, "--engine", engine, path]);
    const results: [string, Figures | string][] = [];
    const python = "/usr/bin/python3";
    const hasPandas = existsSync(python) && spawnSync(python, ["-c", "import pandas"]).status === 0;
    results.push([
      "pandas",
      hasPandas
        ? child(python, ["-c", PANDAS, path])
        : "skipped: apt-get install -y python3-pandas for /usr/bin/python3",
    ]);
    start = performance.now();
    results.push(["DuckDB (@duckdb/node-api)", node("duckdb")]);
    if (!process.argv.includes("--skip-danfo")) results.push(["danfojs-node", node("danfojs")]);
    const pandas = results[0]![1];
    console.log(
      `\nRead + group-by (mean attack per type1) of a ${rows.toLocaleString("en")}-row CSV, each in its own process:`,
    );
    console.log(
      `  ${"engine".padEnd(28)}${"seconds".padStart(9)}${"peak RSS MB".padStart(13)}${"time/pandas".padStart(13)}${"RSS/pandas".padStart(12)}`,
    );
    for (const [name, figures] of results) {
      if (typeof figures === "string") {
        console.log(`  ${name.padEnd(28)}${figures}`);
        continue;
      }
      const ratio = (value: number, base: number | undefined) => (base === undefined ? "—" : (value / base).toFixed(2));
      const base = typeof pandas === "string" ? undefined : pandas;
      console.log(
        `  ${name.padEnd(28)}${figures.seconds.toFixed(2).padStart(9)}${figures.peakRssMb.toFixed(0).padStart(13)}${ratio(figures.seconds, base?.seconds).padStart(13)}${ratio(figures.peakRssMb, base?.peakRssMb).padStart(12)}  (${figures.groups} groups)`,
      );
    }
    console.log("  goal: DuckDB ≤ 1.00× pandas in time and in peak RSS");
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
