// Prints how long linting takes — the whole repository, the reference notebook with and without type information,
// and the pre-commit hook for one changed notebook (eslint.hook.config.js: no type-checked rules) — against a baseline
// measured in the same run: typed ESLint on one plain .ts file (the fixed cost of typescript-eslint's project service).
// Run: npx tsx bench/lint.ts   (goal: the hook under 3 s)
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTempRepository } from "../tests/lint-rules/temp-repository.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const notebook = "notebooks/train.ipynb";
const eslint = join(root, "node_modules/.bin/eslint");

/** Wall and CPU (user + system) seconds of a shell command; CPU shows the cost when the machine is busy. */
function time(command: string, cwd = root): { wall: number; cpu: number; status: number } {
  const script = `TIMEFORMAT='%R %U %S'; { time ${command} >/dev/null 2>&1 ; echo "status $?" >&2; } 2>&1`;
  const output = spawnSync("bash", ["-c", script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, SKIP_SIMPLE_GIT_HOOKS: "" },
  }).stdout;
  const status = Number(/status (\d+)/.exec(output)?.[1] ?? -1);
  const [wall = NaN, user = NaN, system = NaN] = (/([\d.]+) ([\d.]+) ([\d.]+)\s*$/m.exec(output) ?? [])
    .slice(1)
    .map(Number);
  return { wall, cpu: user + system, status };
}

const rows: { name: string; wall: number; cpu: number; note: string }[] = [];
const add = (name: string, result: { wall: number; cpu: number; status: number }, note = ""): void => {
  rows.push({
    name,
    wall: result.wall,
    cpu: result.cpu,
    note: result.status === 0 ? note : `${note}${note ? "; " : ""}exit ${result.status}`,
  });
};

time(`${eslint} runtime/index.ts`); // warm the file cache
add("baseline: eslint runtime/index.ts", time(`${eslint} runtime/index.ts`));
add(`eslint ${notebook}`, time(`${eslint} ${notebook}`), "typed view of all cells");
add(`eslint ${notebook}, hook config`, time(`${eslint} --config eslint.hook.config.js ${notebook}`), "typed rules off");
add("eslint . (whole repository)", time(`${eslint} .`));

// The hook: a temporary repository holding the notebook and its pipeline; change a markdown cell, re-extract, commit.
const repo = createTempRepository();
try {
  for (const path of [notebook, "pipelines/train", "conf/base/catalog.yml"])
    cpSync(join(root, path), join(repo.dir, path), { recursive: true });
  repo.run("git", ["add", "."]);
  repo.run("git", ["commit", "-q", "--no-verify", "-m", "Add the notebook"]);
  const text = readFileSync(join(repo.dir, notebook), "utf8");
  repo.write(notebook, text.replace('"# Pokémon', '"# The Pokémon'));
  repo.run("npx", ["extract", notebook]);
  repo.run("git", ["add", "."]);
  add(
    "hook: eslint on the staged files",
    time(
      `${eslint} --config eslint.hook.config.js --no-warn-ignored $(git diff --cached --name-only | grep -E '\\.(ts|ipynb)$')`,
      repo.dir,
    ),
  );
  add("hook: extract --all --check", time("node_modules/.bin/extract --all --check", repo.dir));
  add(
    "hook: git commit (lint-staged)",
    time("git commit -q -m 'Retitle the notebook'", repo.dir),
    "one changed notebook + its modules",
  );
} finally {
  repo.remove();
}

const baseline = rows[0]?.wall ?? NaN;
console.log(`lint timings on ${cpus().length} CPUs (wall s, CPU s, wall / baseline)`);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(44)} ${row.wall.toFixed(2).padStart(7)} ${row.cpu.toFixed(2).padStart(7)} ${(row.wall / baseline).toFixed(2).padStart(6)}x  ${row.note}`,
  );
}
