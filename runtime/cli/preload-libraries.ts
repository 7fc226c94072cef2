/**
 * Loading TF.js and danfojs takes ~0.5–1 s of this process's time; a command that checks a pipeline's notebook
 * (`extract --check`, a child process on another core) and then imports the pipeline can load them while the
 * check runs instead of after it. Only the libraries the pipeline's modules import are loaded, through the same
 * specifiers the runtime's catalog imports them by, so they are the instances the pipeline gets.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The heavy libraries worth loading ahead, by the specifier a generated module imports them with. */
const PRELOADABLE: Record<string, () => Promise<unknown>> = {
  "@tensorflow/tfjs": () => import("@tensorflow/tfjs"),
  "danfojs-node": () => import("danfojs-node"),
};

/** Which of the preloadable libraries pipelines/<name>/'s modules import. */
export function libraryImportsOf(root: string, pipeline: string): string[] {
  const folder = join(root, "pipelines", pipeline);
  let sources = "";
  try {
    for (const file of readdirSync(folder))
      if (file.endsWith(".ts")) sources += readFileSync(join(folder, file), "utf8");
  } catch {
    return [];
  }
  return Object.keys(PRELOADABLE).filter((specifier) => sources.includes(`from "${specifier}"`));
}

/** Starts loading the libraries pipelines/<name>/ imports; never rejects (a missing library is the pipeline import's error to report). */
export function preloadPipelineLibraries(root: string, pipeline: string): Promise<void> {
  return Promise.allSettled(libraryImportsOf(root, pipeline).map((specifier) => PRELOADABLE[specifier]!())).then(
    () => undefined,
  );
}
