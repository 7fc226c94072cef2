// Loads ts-morph with V8 code caches of its big files: the TypeScript compiler inside it is 9 MB of JavaScript, and
// compiling the parts an extraction runs costs every new process 0.2 to 0.3 s. A cache holds V8's
// bytecode of one file as it stood after a whole run (so it has the functions the run compiled, not only the top
// level), in node_modules/.cache/cellforge-extract/v8/, named by a hash of the file's contents and of this Node.
// V8 checks a cache against its own version and flags too and rejects it otherwise; the file is then compiled as
// usual and its cache written again. The compiled code is the same either way; only the time to get it differs.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname, join, sep } from "node:path";
import { Script } from "node:vm";

// Smaller files compile in no time: Node loads them as usual.
const BIG = 256 * 1024;

/** Caches to write when the process exits: those that were missing or that V8 rejected. */
const pending = [];
/** The cache files of this run, kept when older ones are deleted. */
const used = new Set();

/** The folder of code caches for the packages of the node_modules folder holding `filename`. */
function cacheFolder(filename) {
  const marker = `${sep}node_modules${sep}`;
  const nodeModules = filename.slice(0, filename.lastIndexOf(marker) + marker.length);
  return join(nodeModules, ".cache", "cellforge-extract", "v8");
}

function writeCaches() {
  for (const { script, file } of pending) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, file);
      for (const name of readdirSync(dirname(file)))
        if (/^[0-9a-f]{32}\.bin$/.test(name) && !used.has(join(dirname(file), name)))
          rmSync(join(dirname(file), name), { force: true });
    } catch {
      // A cache that cannot be written only means the next run compiles again.
    }
  }
}

/** Requires `filename` (a CommonJS file) with its code cache, the big files it requires with theirs. */
function requireCached(filename) {
  const plain = createRequire(filename);
  const loaded = plain.cache[filename];
  if (loaded !== undefined) return loaded.exports;
  const source = readFileSync(filename, "utf8");
  const key = createHash("sha256")
    .update(`${process.version} ${process.arch}\0`)
    .update(source)
    .digest("hex")
    .slice(0, 32);
  const file = join(cacheFolder(filename), `${key}.bin`);
  used.add(file);
  let cachedData;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  // The function Node wraps every CommonJS file in.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new Script(wrapped, { filename, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    if (pending.length === 0) process.once("exit", writeCaches);
    pending.push({ script, file });
  }
  const module = new Module(filename, undefined);
  module.filename = filename;
  const require = Object.assign((id) => {
    const resolved = plain.resolve(id);
    return /\.c?js$/.test(resolved) && statSync(resolved).size >= BIG ? requireCached(resolved) : plain(id);
  }, plain);
  plain.cache[filename] = module;
  try {
    script.runInThisContext()(module.exports, require, module, filename, dirname(filename));
  } catch (error) {
    delete plain.cache[filename];
    throw error;
  }
  module.loaded = true;
  return module.exports;
}

/** The CommonJS package `specifier` (resolved from the extractor), loaded with code caches. */
export function requireWithCodeCache(specifier) {
  return requireCached(createRequire(import.meta.url).resolve(specifier));
}
