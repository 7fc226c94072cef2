/** Finds and imports pipelines/<name>/pipeline.ts, the extractor's output. */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { didYouMeanHint } from "@cellforge/contract";
import type { Pipeline } from "./definition.ts";
import { PipelineLoadError } from "./errors.ts";
import { pipelineCodeDigest } from "./pipeline-code.ts";

/** pipelineCodeDigest of each pipeline when this process first imported it (by module URL): the code the process runs. */
const importedCode = new Map<string, string>();

function moduleUrl(root: string, name: string): string {
  return pathToFileURL(join(root, "pipelines", name, "pipeline.ts")).href;
}

/** The digest of pipelines/<name>/ as this process imported it, or undefined when it has not imported it. */
export function importedPipelineCode(root: string, name: string): string | undefined {
  return importedCode.get(moduleUrl(root, name));
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

/** Imports pipelines/<name>/pipeline.ts of the project at `root` and checks its default export. */
export async function loadPipeline(root: string, name: string): Promise<Pipeline> {
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
  const code = importedCode.get(url) ?? pipelineCodeDigest(root, name);
  let module: { default?: unknown };
  try {
    module = (await import(url)) as { default?: unknown };
    importedCode.set(url, code);
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
