/**
 * What a project adds to cellforge, from its cellforge.hooks.ts: hooks (the default export) and dataset types
 * (`export const datasetTypes = { name: defineDatasetType(…) }`). `run`, `serve` and `ui` all load it here, so a
 * type a project defines works the same in each.
 */
import { builtinDatasetTypes, type DatasetTypes } from "../catalog/dataset-types.ts";
import type { DatasetType } from "../catalog/dataset-type.ts";
import type { Hooks } from "../pipeline/hooks.ts";
import { HOOKS_FILE, importHooksFile, loadProjectHooks } from "../pipeline/project-hooks.ts";

/** cellforge.hooks.ts exports something that is not what cellforge expects. */
export class ProjectSetupError extends Error {
  readonly code = "PROJECT_SETUP";
  constructor(message: string) {
    super(message);
    this.name = "ProjectSetupError";
  }
}

/** A project's hooks and the dataset types its catalog may name. */
export interface ProjectSetup {
  hooks: Hooks[];
  datasetTypes: DatasetTypes;
}

function isDatasetType(value: unknown): value is DatasetType {
  if (typeof value !== "object" || value === null) return false;
  const type = value as Partial<DatasetType>;
  return (
    typeof type.doc === "string" &&
    typeof type.create === "function" &&
    typeof type.options === "object" &&
    type.options !== null
  );
}

/** The built-in dataset types plus those `exported` (cellforge.hooks.ts's `datasetTypes`) declares. */
export function projectDatasetTypes(exported: unknown): DatasetTypes {
  const types = builtinDatasetTypes();
  if (exported === undefined) return types;
  if (typeof exported !== "object" || exported === null || Array.isArray(exported)) {
    throw new ProjectSetupError(
      `${HOOKS_FILE} exports \`datasetTypes\` that is not a mapping of type names to dataset types (export const datasetTypes = { parquet: defineDatasetType({ … }) }).`,
    );
  }
  for (const [name, type] of Object.entries(exported)) {
    if (!isDatasetType(type)) {
      throw new ProjectSetupError(
        `${HOOKS_FILE}: dataset type \`${name}\` needs \`doc\` (a string), \`options\` (a mapping) and \`create\` (a function); declare it with defineDatasetType from @cellforge/runtime.`,
      );
    }
    types.register(name, type, HOOKS_FILE);
  }
  return types;
}

/** Loads the project at `root`'s cellforge.hooks.ts (when it has one): its hooks and its dataset types over the built-ins. */
export async function loadProjectSetup(root: string): Promise<ProjectSetup> {
  const module = await importHooksFile(root);
  return { hooks: await loadProjectHooks(root), datasetTypes: projectDatasetTypes(module?.["datasetTypes"]) };
}
