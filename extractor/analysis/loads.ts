// The `load` cells: each top-level const read by a reader call becomes a catalog dataset the runtime loads.
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { Node } from "ts-morph";
import { didYouMean } from "@cellforge/contract";
import type { CellInfo } from "./cells.ts";
import type { AnalysisContext } from "./context.ts";
import { tableShapeOf } from "./dataset-types.ts";
import type { DatasetModel } from "./model.ts";
import { KNOWN_READERS, readerCall } from "./readers.ts";

/** Why a `load` path does not resolve to a file or folder from the project root, or undefined when it does (URLs are not checked). */
function missingPath(root: string, path: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) return undefined;
  const absolute = isAbsolute(path) ? path : resolve(root, path);
  if (existsSync(absolute)) return undefined;
  let siblings: string[] = [];
  try {
    siblings = readdirSync(dirname(absolute));
  } catch {
    // the folder is missing too
  }
  const guess = didYouMean(basename(absolute), siblings);
  const hint =
    guess === undefined ? "" : ` Did you mean \`${path.slice(0, path.length - basename(absolute).length)}${guess}\`?`;
  return `\`${path}\` does not exist: \`load\` paths resolve from the project root (${root}), where the kernel and the runner start; fix the path or add the file.${hint}`;
}

/**
 * The reader expression a declared name is bound to: the initialiser of `const NAME = …`, or for
 * `const [a, b] = await Promise.all([readerA, readerB])` (reading files in parallel) the element at the name's place.
 */
function readerExpression(nameNode: Node): Node | { reason: string } | undefined {
  const parent = nameNode.getParent();
  if (Node.isVariableDeclaration(parent)) return parent.getInitializer();
  const pattern = parent?.getParent();
  const variable = pattern?.getParent();
  if (!Node.isBindingElement(parent) || !Node.isArrayBindingPattern(pattern) || !Node.isVariableDeclaration(variable))
    return { reason: "is destructured from a value, not read from a file" };
  let all = variable.getInitializer();
  while (Node.isAwaitExpression(all) || Node.isParenthesizedExpression(all)) all = all.getExpression();
  const [list, ...more] = Node.isCallExpression(all) ? all.getArguments() : [];
  if (
    !Node.isCallExpression(all) ||
    all.getExpression().getText() !== "Promise.all" ||
    more.length > 0 ||
    !Node.isArrayLiteralExpression(list) ||
    parent.getDotDotDotToken() !== undefined
  )
    return { reason: "is destructured from something other than `await Promise.all([reader, …])`" };
  return (
    list.getElements()[pattern.getElements().indexOf(parent)] ?? {
      reason: "has no reader at its place in `Promise.all([…])`",
    }
  );
}

/** The datasets a `load` cell declares; reports declarations that are not reader calls with a literal path. */
export function analyzeLoads(ctx: AnalysisContext, cell: CellInfo): DatasetModel[] {
  const datasets: DatasetModel[] = [];
  for (const declaration of cell.declarations) {
    if (!declaration.isValue || declaration.kind === "import") continue;
    const expression = readerExpression(declaration.nameNode);
    const call =
      expression === undefined
        ? { reason: `is a ${declaration.kind}, not a dataset` }
        : "reason" in expression
          ? expression
          : readerCall(expression);
    if ("reason" in call) {
      ctx.error(
        "load-not-reader",
        cell,
        declaration.nameNode,
        `the \`load\` cell declares \`${declaration.name}\`, which ${call.reason}: a \`load\` cell declares each dataset as \`const NAME = await READER("path")\` with ${KNOWN_READERS}; move other code into a node.`,
      );
      continue;
    }
    const missing = missingPath(ctx.projectRoot, call.path);
    if (missing !== undefined) {
      ctx.error("load-path-missing", cell, declaration.nameNode, missing);
      continue;
    }
    const shape = tableShapeOf(declaration.nameNode.getType(), call.type);
    datasets.push({
      name: declaration.name,
      type: call.type,
      cell: cell.segment.cell,
      ref: cell.segment.ref,
      role: "load",
      path: call.path,
      artifact: false,
      ...(shape === undefined ? {} : { as: shape }),
      ...(call.loadArgs === undefined ? {} : { loadArgs: call.loadArgs }),
    });
  }
  return datasets;
}
