/**
 * Saving a table through DuckDB: rows staged with the appender (what parquet and duckdb.table saves do now)
 * against rows staged as newline-delimited JSON for read_json (how every save went before), each followed
 * by the COPY to a Parquet file, alternating in one process so both see the same load. Prints rows/s for
 * each, the ratio, and the load average beside them; then one whole `catalog.save` of the same rows from
 * a danfojs DataFrame and from an Arrow table, alternating as well.
 * Run: npx tsx bench/data-save.ts [--rows N] [--rounds K]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { tableFromArrays } from "apache-arrow";
import { Catalog } from "../runtime/catalog/catalog.ts";
import { sqlString, withDuckDB } from "../runtime/catalog/duckdb.ts";
import { stageTable, stageTableAsJson } from "../runtime/catalog/duckdb-staging.ts";

const TYPES = ["bug", "dragon", "electric", "fire", "grass", "psychic", "water"];

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
}

/** `count` Pokémon-like rows (id, name, type1, attack, speed, legendary), the same on every call. */
function pokemonRows(count: number): Record<string, unknown>[] {
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, (_, i) => ({
    id: i,
    name: `mon ${i}`,
    type1: TYPES[Math.floor(random() * TYPES.length)]!,
    attack: 5 + Math.floor(random() * 180),
    speed: Number((random() * 150).toFixed(1)),
    legendary: random() < 0.08,
  }));
}

const load = () => loadavg()[0]!.toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const count = option("--rows", 100_000);
  const rounds = option("--rounds", 5);
  const rows = pokemonRows(count);
  const folder = mkdtempSync(join(tmpdir(), "cellforge-bench-save-"));
  try {
    const timings: Record<"json" | "appender", number[]> = { json: [], appender: [] };
    const save = async (how: "json" | "appender") => {
      const start = performance.now();
      await withDuckDB(folder, async (c) => {
        const staged = how === "json" ? await stageTableAsJson(c, rows) : await stageTable(c, rows);
        await c.run(`COPY ${staged} TO ${sqlString(join(folder, `${how}.parquet`))} (FORMAT parquet)`);
      });
      timings[how].push((performance.now() - start) / 1000);
    };
    await save("appender"); // warm-up: the binding's import is not part of the figures
    timings.appender = [];
    for (let round = 0; round < rounds; round++) {
      await save("json");
      await save("appender");
      console.log(
        `round ${round + 1}: NDJSON ${timings.json.at(-1)!.toFixed(2)} s, appender ${timings.appender.at(-1)!.toFixed(2)} s (load ${load()})`,
      );
    }
    const json = median(timings.json);
    const appender = median(timings.appender);
    const rate = (seconds: number) => Math.round(count / seconds).toLocaleString("en");
    console.log(`\nSave ${count.toLocaleString("en")} row objects to Parquet (stage + COPY), median of ${rounds}:`);
    console.log(`  NDJSON + read_json (before)  ${json.toFixed(2)} s  ${rate(json)} rows/s`);
    console.log(`  DuckDB appender (now)        ${appender.toFixed(2)} s  ${rate(appender)} rows/s`);
    console.log(`  appender / NDJSON time: ${(appender / json).toFixed(2)}   (load average ${load()})`);

    const { DataFrame } = await import("danfojs-node");
    const catalog = new Catalog(
      { frame: { type: "parquet", path: "frame.parquet" }, arrow: { type: "parquet", path: "arrow.parquet" } },
      { root: folder },
    );
    const frame = new DataFrame(rows);
    const table = tableFromArrays({
      id: Float64Array.from(rows, (r) => r["id"] as number),
      name: rows.map((r) => r["name"] as string),
      type1: rows.map((r) => r["type1"] as string),
      attack: Float64Array.from(rows, (r) => r["attack"] as number),
      speed: Float64Array.from(rows, (r) => r["speed"] as number),
      legendary: rows.map((r) => r["legendary"] as boolean),
    });
    const whole: Record<"frame" | "arrow", number[]> = { frame: [], arrow: [] };
    for (let round = 0; round < rounds; round++) {
      for (const name of ["frame", "arrow"] as const) {
        const start = performance.now();
        await catalog.save(name, name === "frame" ? frame : table);
        whole[name].push((performance.now() - start) / 1000);
      }
    }
    const frameSeconds = median(whole.frame);
    const arrowSeconds = median(whole.arrow);
    console.log(`\nWhole catalog.save to a parquet dataset (atomic write included), alternating, median of ${rounds}:`);
    console.log(`  from a danfojs DataFrame     ${frameSeconds.toFixed(2)} s  ${rate(frameSeconds)} rows/s`);
    console.log(`  from an Arrow table          ${arrowSeconds.toFixed(2)} s  ${rate(arrowSeconds)} rows/s`);
    console.log(`  (load average ${load()})`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

await main();
