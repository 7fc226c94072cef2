/**
 * The runtime's folders are layers: no folder imports one that imports it back, however indirectly. And the
 * workspace packages import each other only as their package.json declares, one way: the runtime never imports
 * the extractor or the lint rules, and the contract imports no other package.
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { folderCycles, folderImports, importedSpecifiers, sourceFiles } from "./folder-graph.ts";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const runtime = join(repo, "runtime");

interface WorkspacePackage {
  folder: string;
  name: string;
  dependencies: string[];
}

function workspacePackages(): WorkspacePackage[] {
  const root = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { workspaces: string[] };
  return root.workspaces.map((folder) => {
    const manifest = JSON.parse(readFileSync(join(repo, folder, "package.json"), "utf8")) as {
      name: string;
      dependencies?: Record<string, string>;
    };
    return { folder, name: manifest.name, dependencies: Object.keys(manifest.dependencies ?? {}) };
  });
}

describe("runtime folders", () => {
  it("import each other without cycles", () => {
    const edges = folderImports(runtime);
    const cycles = folderCycles(edges).map((cycle) => {
      const steps = cycle.slice(1).map((to, i) => {
        const from = cycle[i]!;
        const sites = edges.get(from)?.get(to) ?? [];
        return `  ${from} → ${to}: ${sites.map((site) => `${site.file} imports ${site.specifier}`).join("; ")}`;
      });
      return [cycle.join(" → "), ...steps].join("\n");
    });
    expect(cycles).toEqual([]);
  });

  it("find a cycle of several folders, by the shortest way round", () => {
    const graph = new Map([
      [
        "a",
        new Map([
          ["b", []],
          ["d", []],
        ]),
      ],
      ["b", new Map([["c", []]])],
      [
        "c",
        new Map([
          ["a", []],
          ["b", []],
        ]),
      ],
      ["d", new Map([["e", []]])],
    ]);
    expect(folderCycles(graph)).toEqual([["a", "b", "c", "a"]]);
    graph.get("c")!.delete("a");
    expect(folderCycles(graph)).toEqual([["b", "c", "b"]]);
    graph.get("c")!.delete("b");
    expect(folderCycles(graph)).toEqual([]);
  });
});

describe("workspace packages", () => {
  const packages = workspacePackages();

  it("import only the workspace packages their package.json declares, never through a relative path", () => {
    const problems: string[] = [];
    for (const pkg of packages) {
      for (const file of sourceFiles(join(repo, pkg.folder))) {
        const where = relative(repo, file).split(sep).join("/");
        for (const specifier of importedSpecifiers(file)) {
          if (specifier.startsWith(".")) {
            const target = relative(repo, resolve(dirname(file), specifier)).split(sep)[0];
            const other = packages.find((p) => p.folder === target && p !== pkg);
            if (other !== undefined)
              problems.push(
                `${where} reaches into ${other.folder}/ by a relative path (${specifier}): import ${other.name}`,
              );
            continue;
          }
          const other = packages.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
          if (other !== undefined && other !== pkg && !pkg.dependencies.includes(other.name)) {
            problems.push(`${where} imports ${specifier}, which ${pkg.folder}/package.json does not declare`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("depend one way: the runtime on neither the extractor nor the lint rules, the contract on no other package", () => {
    const names = new Set(packages.map((p) => p.name));
    const byFolder = new Map(packages.map((p) => [p.folder, p]));
    expect(
      byFolder
        .get("runtime")!
        .dependencies.filter((name) =>
          [byFolder.get("extractor")!.name, byFolder.get("lint-rules")!.name].includes(name),
        ),
    ).toEqual([]);
    expect(byFolder.get("contract")!.dependencies.filter((name) => names.has(name))).toEqual([]);
  });
});
