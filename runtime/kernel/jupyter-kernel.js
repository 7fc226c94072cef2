#!/usr/bin/env node
// The argv of the cellforge-tslab kernelspec: starts the project's own tslab kernel in the project root.
// Plain JavaScript so that Jupyter can start it; the kernelspec adds tsx (--import) so cells can import the project's TypeScript.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";

const usage = "usage: jupyter-kernel.js --tslab <node_modules/tslab folder> --config-path <connection file>";

/** Reads `--name value` from argv. */
function option(name) {
  const at = process.argv.indexOf(name);
  const value = at < 0 ? undefined : process.argv[at + 1];
  if (value === undefined) {
    console.error(`jupyter-kernel.js: missing ${name}\n${usage}`);
    process.exit(2);
  }
  return value;
}

const tslab = option("--tslab");
const configPath = resolve(option("--config-path"));

// Jupyter starts a kernel in the notebook's folder; the project's notebooks read data/… relative to the
// project root, as `cellforge nb run` runs them: move to the nearest folder with a package.json
// (the rule of contract/project-root.ts; this file runs without the workspace packages).
for (let dir = process.cwd(); ; dir = dirname(dir)) {
  if (existsSync(join(dir, "package.json"))) {
    process.chdir(dir);
    break;
  }
  if (dirname(dir) === dir) break;
}

const require = createRequire(import.meta.url);
const { startKernel } = require(join(tslab, "dist", "main.js"));
const { getVersion } = require(join(tslab, "dist", "util.js"));
startKernel({ configPath, enableFindLocal: false, jsKernel: false, globalVersion: getVersion() });
