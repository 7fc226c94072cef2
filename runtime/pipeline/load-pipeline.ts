/**
 * Finds and imports pipelines/<name>/pipeline.ts, the extractor's output. Node imports a module
 * once per process; a long-lived process (a server reloading to a version of newer code) asks for
 * the code on disk now, which is imported again, with the modules it imports relatively, under a tsx
 * namespace of its own: the two copies of the code coexist, and the old one is left to the
 * requests still using it.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { didYouMeanHint } from "@cellforge/contract";
import { register } from "tsx/esm/api";
import type { Pipeline } from "./definition.ts";
import { PipelineLoadError } from "./errors.ts";
import { pipelineCodeDigest } from "./pipeline-code.ts";

/** pipelineCodeDigest of each pipeline when this process last imported it (by module URL): the code the process runs. */
const importedCode = new Map<string, string>();

/** Each pipeline module imported again under a namespace, by module URL and code digest, so a digest seen before is not imported twice. */
const namespacedModules = new Map<string, Promise<{ default?: unknown }>>();

function moduleUrl(root: string, name: string): string {
  return pathToFileURL(join(root, "pipelines", name, "pipeline.ts")).href;
}

/** The names of the project's pipelines (folders of pipelines/ with a pipeline.ts), sorted. */
export function listPipelines(root: string): string[] {
  try {
    return readdirSync(join(root, "pipelines"), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, "pipelines", e.name, "pipeline.ts")))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The pipeline to run when none is named: the only one, else `train`. */
export function defaultPipelineName(root: string): string {
  const names = listPipelines(root);
  if (names.length === 1) return names[0]!;
  if (names.includes("train")) return "train";
  if (names.length === 0) {
    throw new PipelineLoadError(
      "This project has no pipelines/<name>/pipeline.ts yet: extract a notebook first (npx extract notebooks/train.ipynb).",
    );
  }
  throw new PipelineLoadError(
    `This project has several pipelines (${names.join(", ")}): name the one to run, e.g. cellforge run ${names[0]}.`,
  );
}

function isPipeline(value: unknown): value is Pipeline {
  if (typeof value !== "object" || value === null) return false;
  const p = value as Partial<Pipeline>;
  return (
    typeof p.name === "string" && Array.isArray(p.nodes) && typeof p.parameters === "object" && p.parameters !== null
  );
}

/** How to load a pipeline. */
export interface LoadPipelineOptions {
  /**
   * Import the code on disk now, even when this process imported an older copy of pipelines/<name>/ before
   * (a server's reload); by default the process keeps the copy it imported last.
   */
  current?: boolean;
}

/** Imports `url` as the code whose digest is `code`: through tsx under a namespace named after the digest, so its relative imports are fresh too. */
function importNamespaced(url: string, code: string): Promise<{ default?: unknown }> {
  const key = `${url}#${code}`;
  let module = namespacedModules.get(key);
  if (module === undefined) {
    // The loader stays registered: the code may import more modules later, lazily.
    const scoped = register({ namespace: `cellforge-${code.slice(0, 16)}` });
    module = scoped.import(url, import.meta.url) as Promise<{ default?: unknown }>;
    namespacedModules.set(key, module);
    module.catch(() => namespacedModules.delete(key));
  }
  return module;
}

/** Imports pipelines/<name>/pipeline.ts of the project at `root` and checks its default export. */
export async function loadPipeline(root: string, name: string, options: LoadPipelineOptions = {}): Promise<Pipeline> {
  const file = join(root, "pipelines", name, "pipeline.ts");
  if (!existsSync(file)) {
    const names = listPipelines(root);
    const known = names.length === 0 ? "The project has no pipelines yet" : `Pipelines: ${names.join(", ")}`;
    throw new PipelineLoadError(
      `No pipeline \`${name}\`${didYouMeanHint(name, names)}: pipelines/${name}/pipeline.ts does not exist. ${known}; extract a notebook to create one (npx extract notebooks/${name}.ipynb).`,
    );
  }
  const url = moduleUrl(root, name);
  // Taken before the import, so that the digest is never of code newer than what the import read.
  const imported = importedCode.get(url);
  const onDisk = options.current === true || imported === undefined ? pipelineCodeDigest(root, name) : imported;
  const code = imported ?? onDisk;
  let module: { default?: unknown };
  try {
    if (imported !== undefined && onDisk !== imported) {
      module = await importNamespaced(url, onDisk);
      importedCode.set(url, onDisk);
    } else {
      // The copy last imported: a namespaced one once the process has reloaded the code.
      module = await (namespacedModules.get(`${url}#${code}`) ?? (import(url) as Promise<{ default?: unknown }>));
      importedCode.set(url, code);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PipelineLoadError(
      `Could not load pipelines/${name}/pipeline.ts: ${reason}. Extract the notebook again if the module is out of date.`,
      error,
    );
  }
  if (!isPipeline(module.default)) {
    throw new PipelineLoadError(
      `pipelines/${name}/pipeline.ts must default-export a pipeline (export default definePipeline({...})).`,
    );
  }
  return module.default;
}
