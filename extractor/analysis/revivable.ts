// Saved class instances (a fitted scaler): which class a `json` dataset's value is revived into where it is read.
import type { Type } from "ts-morph";
import type { AnalysisContext } from "./context.ts";
import { revivableClass } from "./dataset-types.ts";

/**
 * The class a saved value of `type` is revived into when it is loaded (its fields survive JSON, `reviveInstance`
 * gives back its methods), why such a value cannot be saved, or undefined when `type` is not a class instance.
 * A class declared in the notebook must be in an `export` cell (or an untagged cell of declarations), which every
 * generated module can import.
 */
export function classToRevive(ctx: AnalysisContext, type: Type): { name: string } | { reason: string } | undefined {
  const found = revivableClass(type);
  if (found === undefined || "reason" in found) return found;
  if (found.declaration.getSourceFile() === ctx.file) {
    const at = found.declaration.getStart();
    const cell = ctx.cells.find((c) => at >= c.segment.start && at < c.segment.end);
    if (cell?.directives.role !== "export") {
      const where = cell === undefined ? "" : `, declared in ${ctx.describe(cell)}`;
      return {
        reason: `is an instance of class \`${found.name}\`${where}: move the class into an \`export\` cell (or an untagged cell of declarations only), so that the pipeline can rebuild it when it loads it`,
      };
    }
  }
  return { name: found.name };
}
