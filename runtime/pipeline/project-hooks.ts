/** The project's own hooks: an optional cellforge.hooks.ts at the project root default-exporting Hooks (or a list), as Kedro's settings.py HOOKS. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PipelineLoadError } from "./errors.ts";
import type { Hooks } from "./hooks.ts";

/** The file a project registers its hooks in. */
export const HOOKS_FILE = "cellforge.hooks.ts";

function isHooks(value: unknown): value is Hooks {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value as Record<string, unknown>).every((v) => typeof v === "function")
  );
}

/** The module cellforge.hooks.ts is (imported once per process), or undefined when the project has no such file. */
export async function importHooksFile(
  root: string,
): Promise<{ default?: unknown; [name: string]: unknown } | undefined> {
  const file = join(root, HOOKS_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    throw new PipelineLoadError(
      `Could not load ${HOOKS_FILE}: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
}

/** The hooks cellforge.hooks.ts exports, or none when the project has no such file (or it exports dataset types only). */
export async function loadProjectHooks(root: string): Promise<Hooks[]> {
  const module = await importHooksFile(root);
  if (module?.default === undefined) return [];
  const hooks: unknown[] = Array.isArray(module.default) ? module.default : [module.default];
  if (!hooks.every(isHooks)) {
    throw new PipelineLoadError(
      `${HOOKS_FILE} must default-export hooks: an object of hook methods (beforeNodeRun, afterNodeRun…) or a list of them.`,
    );
  }
  return hooks;
}
