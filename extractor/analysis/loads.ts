// The `load` cells: each top-level const read by a reader call becomes a catalog dataset the runtime loads.
import { Node } from "ts-morph";
import type { CellInfo } from "./cells.ts";
import type { AnalysisContext } from "./context.ts";
import type { DatasetModel } from "./model.ts";
import { KNOWN_READERS, readerCall } from "./readers.ts";

/** The datasets a `load` cell declares; reports declarations that are not reader calls with a literal path. */
export function analyseLoads(ctx: AnalysisContext, cell: CellInfo): DatasetModel[] {
  const datasets: DatasetModel[] = [];
  for (const declaration of cell.declarations) {
    if (!declaration.isValue || declaration.kind === "import") continue;
    const variable = declaration.nameNode.getParent();
    const initializer = Node.isVariableDeclaration(variable) ? variable.getInitializer() : undefined;
    const call = initializer === undefined ? { reason: `is a ${declaration.kind}, not a dataset` } : readerCall(initializer);
    if ("reason" in call) {
      ctx.error(
        "load-not-reader",
        cell,
        declaration.nameNode,
        `the \`load\` cell declares \`${declaration.name}\`, which ${call.reason}: a \`load\` cell declares each dataset as \`const NAME = await READER("path")\` with ${KNOWN_READERS}; move other code into a node.`,
      );
      continue;
    }
    datasets.push({ name: declaration.name, type: call.type, cell: cell.segment.cell, role: "load", path: call.path, artifact: false });
  }
  return datasets;
}
