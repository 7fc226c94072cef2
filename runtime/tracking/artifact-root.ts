/**
 * The shared artifact root of a team (a network mount): model versions registered on one machine are
 * written under it and served from another, their locations recorded relative to it. Without one,
 * versions stay in the project's own `models` folder, their locations relative to the project.
 */
import { stat } from "node:fs/promises";
import { LocalArtifactStore } from "./local-artifact-store.ts";
import type { ArtifactStore } from "./artifact-store.ts";
import type { ArtifactRoot, TrackingSettings } from "./tracking-settings.ts";

/** An artifact root that is not there (an unmounted share, a typo). */
export class ArtifactRootMissingError extends Error {
  readonly code = "ARTIFACT_ROOT_MISSING";
  constructor(root: ArtifactRoot, problem: string) {
    super(
      `The artifact root ${root.path} (set by ${root.setBy}) ${problem}: mount the shared folder there, ` +
        `or point the setting at where it is mounted on this machine.`,
    );
    this.name = "ArtifactRootMissingError";
  }
}

/** Throws ArtifactRootMissingError unless the configured artifact root is an existing folder; no root set, nothing to check. */
export async function checkArtifactRoot(root: ArtifactRoot | undefined): Promise<void> {
  if (root === undefined) return;
  const found = await stat(root.path).catch((error: NodeJS.ErrnoException) => error);
  if (found instanceof Error) {
    throw new ArtifactRootMissingError(
      root,
      found.code === "ENOENT" ? "does not exist" : `cannot be read (${found.code ?? found.message})`,
    );
  }
  if (!found.isDirectory()) throw new ArtifactRootMissingError(root, "is not a folder");
}

/** The store of model versions the settings name: under the artifact root (locations relative to it), else in the project. */
export function modelArtifactStore(projectRoot: string, settings: TrackingSettings): ArtifactStore {
  return new LocalArtifactStore(settings.artifactRoot?.path ?? projectRoot, settings.modelsPath);
}
