/**
 * The import graph between a package's folders, read with the TypeScript parser (static imports, re-exports,
 * `import()` calls and `import("…")` types with a literal specifier), and the cycles in it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

/** One import statement: the file (relative to the scanned root, "/"-separated) and what it imports. */
export interface ImportSite {
  file: string;
  specifier: string;
}

/** The files of `root` (recursively) that import code: .ts, .js and .mjs files outside node_modules. */
export function sourceFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => {
    const path = join(root, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(path);
    return /\.(ts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

/** The module specifiers `file` imports, in source order. */
export function importedSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specifiers.push(node.arguments[0].text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** The top-level folder of `path` under `root` ("." for files directly in it), or undefined when `path` is outside `root`. */
function folderOf(root: string, path: string): string | undefined {
  const inside = relative(root, path);
  if (inside.startsWith("..")) return undefined;
  return inside.includes(sep) ? inside.split(sep)[0]! : ".";
}

/** Edges "from → to" between the top-level folders of `root`, each with the imports that make it. */
export function folderImports(root: string): Map<string, Map<string, ImportSite[]>> {
  const edges = new Map<string, Map<string, ImportSite[]>>();
  for (const file of sourceFiles(root)) {
    const from = folderOf(root, file)!;
    for (const specifier of importedSpecifiers(file)) {
      if (!specifier.startsWith(".")) continue;
      const to = folderOf(root, resolve(dirname(file), specifier));
      if (to === undefined || to === from) continue;
      const targets = edges.get(from) ?? new Map<string, ImportSite[]>();
      edges.set(from, targets);
      targets.set(to, [...(targets.get(to) ?? []), { file: relative(root, file).split(sep).join("/"), specifier }]);
    }
  }
  return edges;
}

/**
 * One cycle per strongly connected group of folders, as the folder names from the alphabetically first one
 * round back to it ("config → pipeline → config"); empty when the graph has no cycle.
 */
export function folderCycles(edges: ReadonlyMap<string, ReadonlyMap<string, unknown>>): string[][] {
  const targets = (node: string): string[] => [...(edges.get(node)?.keys() ?? [])].sort();
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((to) => [...to.keys()])])].sort();
  // Tarjan's strongly connected components.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of targets(node)) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group.sort());
    }
  };
  for (const node of nodes) if (!index.has(node)) connect(node);
  // In each group, the shortest way from its first folder back to itself (breadth first, inside the group).
  return groups
    .map((group) => {
      const start = group[0]!;
      const previous = new Map<string, string>();
      const queue = [start];
      while (queue.length > 0) {
        const node = queue.shift()!;
        if (targets(node).includes(start) && node !== start) {
          const path = [node];
          while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
          return [...path, start];
        }
        for (const next of targets(node)) {
          if (group.includes(next) && next !== start && !previous.has(next)) {
            previous.set(next, node);
            queue.push(next);
          }
        }
      }
      return [start, start];
    })
    .sort((a, b) => a.join().localeCompare(b.join()));
}
