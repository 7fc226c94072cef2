// The `export` cells: lifted verbatim into shared.ts, each top-level declaration exported.
import { Node } from "ts-morph";
import { cellBody, isDisplayOnly, type CellInfo } from "./cells.ts";
import type { AnalysisContext } from "./context.ts";
import type { SharedModel } from "./model.ts";

/** The shared module of the notebook's `export` cells, or undefined when it has none. */
export function analyzeShared(ctx: AnalysisContext, cells: readonly CellInfo[]): SharedModel | undefined {
  if (cells.length === 0) return undefined;
  const parts: string[] = [];
  const names: Array<{ name: string; typeOnly: boolean }> = [];
  for (const cell of cells) {
    const remove = cell.statements.filter((s) => Node.isImportDeclaration(s) || isDisplayOnly(s));
    const exportStatements = cell.statements.filter(
      (s) =>
        cell.declarations.some((d) => d.statement === s && d.kind !== "import") &&
        !(Node.isModifierable(s) && s.hasModifier("export")),
    );
    parts.push(cellBody(cell, ctx.file, { remove, exportStatements }));
    for (const declaration of cell.declarations) {
      if (declaration.kind === "import" || names.some((n) => n.name === declaration.name)) continue;
      names.push({ name: declaration.name, typeOnly: !declaration.isValue });
    }
  }
  return { code: parts.filter((p) => p !== "").join("\n\n"), names, cells: cells.map((c) => c.segment.cell) };
}
