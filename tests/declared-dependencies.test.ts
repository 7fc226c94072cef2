/**
 * Every package the code imports is declared by the package.json that owns the file, and a package declared both
 * by the root project (notebooks, pipelines, bench, tests) and by a workspace package asks for the same version:
 * an undeclared import works only while another package happens to hoist it, and two ranges drift apart.
 */
import { builtinModules } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importedSpecifiers, sourceFiles } from "./runtime/folder-graph.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Manifest {
  name: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const manifest = (folder: string): Manifest =>
  JSON.parse(readFileSync(join(repo, folder, "package.json"), "utf8")) as Manifest;
const root = manifest(".");
const workspaces = root.workspaces!.map((folder) => ({ folder, manifest: manifest(folder) }));
const workspaceNames = new Set(workspaces.map((w) => w.manifest.name));

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or undefined for relative paths and builtins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

const declared = (m: Manifest): Set<string> =>
  new Set(
    [m.dependencies, m.devDependencies, m.peerDependencies, m.optionalDependencies].flatMap((d) =>
      Object.keys(d ?? {}),
    ),
  );

/** `package (file)` for each import in `files` of a package `allowed` does not hold. */
function undeclared(files: string[], allowed: Set<string>): string[] {
  return files.flatMap((file) =>
    importedSpecifiers(file)
      .map(packageOf)
      .filter((name): name is string => name !== undefined && !allowed.has(name))
      .map((name) => `${name} (${relative(repo, file)})`),
  );
}

describe("declared dependencies", () => {
  for (const { folder, manifest: m } of workspaces)
    it(`${m.name} imports only what its package.json declares`, () => {
      expect(undeclared(sourceFiles(join(repo, folder)), new Set([...declared(m), m.name]))).toEqual([]);
    });

  it("the root project (notebooks' pipelines, bench, data scripts, tests) imports only what the root package.json declares, or a workspace package", () => {
    const files = ["pipelines", "bench", "data", "tests", "conf"].flatMap((folder) => {
      try {
        return sourceFiles(join(repo, folder)).filter((f) => !f.includes(`${join("tests", "fixtures")}`));
      } catch {
        return [];
      }
    });
    expect(undeclared(files, new Set([...declared(root), ...workspaceNames]))).toEqual([]);
  });

  it("a package the root and a workspace package both declare has one version range", () => {
    const rootRanges = { ...root.devDependencies, ...root.dependencies };
    const drift = workspaces.flatMap(({ manifest: m }) =>
      Object.entries({ ...m.devDependencies, ...m.dependencies })
        .filter(([name, range]) => rootRanges[name] !== undefined && rootRanges[name] !== range)
        .map(([name, range]) => `${name}: ${m.name} ${range}, root ${rootRanges[name]}`),
    );
    expect(drift).toEqual([]);
  });
});
