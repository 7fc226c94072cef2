// The extractor compiled to one JavaScript file, so `extract` starts without tsx (its loader hooks and its ESM view
// of ts-morph's CommonJS cost about 0.4 s a run). The file is built on first use into node_modules/.cache/
// and named by a hash of every source file it is built from, so a changed extractor is never run from an old build.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const extractorRoot = fileURLToPath(new URL("..", import.meta.url));
const entry = join(extractorRoot, "cli", "main.ts");
const codeCache = join(extractorRoot, "bin", "code-cache.js");

// ts-morph (with the TypeScript compiler inside it) is CommonJS: the build loads it with `require`, as Node loads it
// best, instead of an ESM import that has Node scan it for export names first, and with V8 code caches (code-cache.js).
const REQUIRED = new Set(["ts-morph"]);
// The workspace packages the extractor is written in: compiled into the build. Every other package is loaded from
// node_modules at run time, as the sources load it.
const COMPILED = new Set(["@cellforge/contract"]);

/**
 * The .ts, .js and .json files under `dir` (node_modules aside), sorted: the files codegen/header.ts hashes into the
 * extractor's version too. Written again here, not imported, since this file runs before any TypeScript can load.
 */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
      return /\.(ts|js|json)$/.test(entry.name) ? [path] : [];
    })
    .sort();
}

/** The package name of a bare import specifier (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier) {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/** The tsconfig.json nearest above `dir`, whose options esbuild compiles the files under it with, if there is one. */
function tsconfigAbove(dir) {
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent))
    if (existsSync(join(parent, "tsconfig.json"))) return join(parent, "tsconfig.json");
  return undefined;
}

/**
 * What names the build: the build tool's version, this Node's major version, and the contents of every file it is
 * built from (the sources, and the tsconfig.json above them that esbuild reads).
 */
function buildKey(esbuildVersion) {
  const hash = createHash("sha256").update(`esbuild@${esbuildVersion} node@${process.versions.node.split(".")[0]}\0`);
  const folders = [extractorRoot, ...[...COMPILED].map((name) => dirname(require.resolve(name)))];
  const configs = [...new Set(folders.map(tsconfigAbove).filter((path) => path !== undefined))];
  for (const path of configs)
    hash
      .update(relative(dirname(extractorRoot), path))
      .update("\0")
      .update(readFileSync(path))
      .update("\0");
  for (const folder of folders)
    for (const path of sourceFiles(folder))
      hash
        .update(relative(dirname(extractorRoot), path))
        .update("\0")
        .update(readFileSync(path))
        .update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** Compiles the extractor into `file` (written under a temporary name, then renamed: concurrent runs never read half a file). */
async function build(esbuild, file) {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    logLevel: "silent",
    plugins: [
      {
        name: "cellforge-packages",
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            const name = packageOf(args.path);
            if (COMPILED.has(name)) return undefined;
            if (REQUIRED.has(name)) return { path: args.path, namespace: "required" };
            // Another workspace package is TypeScript that Node cannot load, and the build's name would not cover its
            // sources: no build then (the sources run through tsx) until it is added to COMPILED.
            if (name.startsWith("@cellforge/")) return { errors: [{ text: `${name} is not in COMPILED` }] };
            return { path: args.path, external: true };
          });
          build.onLoad({ filter: /.*/, namespace: "required" }, (args) => ({
            contents: `module.exports = require(${JSON.stringify(codeCache)}).requireWithCodeCache(${JSON.stringify(args.path)});`,
            loader: "js",
            resolveDir: extractorRoot,
          }));
        },
      },
    ],
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild wrote nothing");
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, output.contents);
  renameSync(temporary, file);
}

/**
 * The node_modules folder the extractor's packages are installed in (the nearest one above it that holds ts-morph):
 * the build goes under its .cache/, from where its imports resolve to the same packages as the sources'.
 */
function nodeModulesFolder() {
  for (let dir = extractorRoot; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = basename(dir) === "node_modules" ? dir : join(dir, "node_modules");
    if (existsSync(join(candidate, "ts-morph"))) return candidate;
  }
  throw new Error("ts-morph is not installed");
}

/**
 * The CLI's `main` from the compiled build, built first when the sources changed since the last one; undefined when
 * no build can be had (esbuild missing, node_modules not writable): the caller then runs the sources through tsx.
 */
export async function compiledMain() {
  try {
    // esbuild itself is loaded only to build: its version is enough to name the build.
    const { version } = JSON.parse(readFileSync(require.resolve("esbuild/package.json"), "utf8"));
    const cache = join(nodeModulesFolder(), ".cache", "cellforge-extract");
    const file = join(cache, `extract-${buildKey(version)}.mjs`);
    if (!existsSync(file)) {
      await build(await import("esbuild"), file);
      // Builds of older sources are never run again.
      for (const name of readdirSync(cache))
        if (name !== basename(file) && /^extract-[0-9a-f]{16}\.mjs$/.test(name))
          rmSync(join(cache, name), { force: true });
    }
    const { main } = await import(pathToFileURL(file).href);
    return main;
  } catch {
    return undefined;
  }
}
