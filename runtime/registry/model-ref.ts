/** Model references: `NAME` (latest version), `NAME:VERSION`, `NAME@ALIAS`. */
import { RegistryError } from "./errors.ts";

/** A parsed model reference. */
export type ModelRef =
  | { name: string; kind: "latest" }
  | { name: string; kind: "version"; version: number }
  | { name: string; kind: "alias"; alias: string };

/** Parses `pokemon`, `pokemon:3` or `pokemon@champion`. */
export function parseModelRef(text: string): ModelRef {
  const match = /^([\w.-]+)(?::(\d+)|@([\w.-]+))?$/.exec(text.trim());
  if (match === null) {
    throw new RegistryError(
      "MODEL_REF",
      `\`${text}\` is not a model reference; write NAME, NAME:VERSION (e.g. train:3) or NAME@ALIAS (e.g. train@champion).`,
    );
  }
  const [, name, version, alias] = match as unknown as [string, string, string | undefined, string | undefined];
  if (version !== undefined) return { name, kind: "version", version: Number(version) };
  if (alias !== undefined) return { name, kind: "alias", alias };
  return { name, kind: "latest" };
}

/** The reference as text. */
export function formatModelRef(ref: ModelRef): string {
  return ref.kind === "version"
    ? `${ref.name}:${ref.version}`
    : ref.kind === "alias"
      ? `${ref.name}@${ref.alias}`
      : ref.name;
}
