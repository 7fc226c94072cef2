// Resolves a name a cell reads to the cell whose declaration the notebook would use: the latest one above the reader.
import type { CellInfo } from "./cells.ts";
import type { TopLevelDeclaration } from "./declarations.ts";
import type { IdentifierRead } from "./free-identifiers.ts";

/** Where a read name comes from. */
export type Resolution =
  /** Declared by the reading cell itself. */
  | { kind: "local" }
  /** An import: generated modules import it themselves. */
  | { kind: "import" }
  /** Declared above by `owner`; `declaration` is the one the kernel would see. */
  | { kind: "declared"; owner: CellInfo; declaration: TopLevelDeclaration }
  /** Declared only below the reader. */
  | { kind: "later"; owner: CellInfo; declaration: TopLevelDeclaration };

/** An index of every top-level declaration of the notebook by name, in document order. */
export class DeclarationIndex {
  private readonly byName = new Map<string, Array<{ owner: CellInfo; declaration: TopLevelDeclaration }>>();

  constructor(cells: readonly CellInfo[]) {
    for (const owner of cells) {
      for (const declaration of owner.declarations) {
        const list = this.byName.get(declaration.name) ?? [];
        list.push({ owner, declaration });
        this.byName.set(declaration.name, list);
      }
    }
  }

  /** Where `read`, made by `reader`, comes from. */
  resolve(read: IdentifierRead | { name: string }, reader: CellInfo): Resolution {
    const all = this.byName.get(read.name) ?? [];
    if (all.some(({ owner }) => owner === reader)) {
      return all.some(({ owner, declaration }) => owner === reader && declaration.kind === "import")
        ? { kind: "import" }
        : { kind: "local" };
    }
    const above = all.filter(({ owner }) => owner.segment.cell < reader.segment.cell);
    const latest = above[above.length - 1];
    if (latest !== undefined)
      return latest.declaration.kind === "import" ? { kind: "import" } : { kind: "declared", ...latest };
    const below = all[0];
    if (below === undefined) return { kind: "local" };
    return below.declaration.kind === "import" ? { kind: "import" } : { kind: "later", ...below };
  }

  /** Every declaration of `name`, in document order. */
  declarationsOf(name: string): ReadonlyArray<{ owner: CellInfo; declaration: TopLevelDeclaration }> {
    return this.byName.get(name) ?? [];
  }
}
