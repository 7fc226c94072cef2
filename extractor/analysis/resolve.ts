// Resolves a name a cell reads to the cell whose value the notebook would use: the latest declaration above the reader,
// or a node below it that assigns the variable a new value or changes it in place; and names the dataset each value travels in.
import type { Identifier } from "ts-morph";
import type { CellInfo } from "./cells.ts";
import type { TopLevelDeclaration } from "./declarations.ts";
import type { IdentifierRead } from "./free-identifiers.ts";
import { changeAt, mutationAt, rebindingAt } from "./mutations.ts";

/** Where a read name comes from. */
export type Resolution =
  /** Declared by the reading cell itself. */
  | { kind: "local" }
  /** An import: generated modules import it themselves. */
  | { kind: "import" }
  /**
   * Declared above by `owner`; `declaration` is the one the kernel would see. When `owner` is a node that assigns the
   * variable a new value (`df = df.dropNa()`) or changes it in place (`model.fit(…)`), `owner` is that node and
   * `declaration` the original declaration.
   */
  | { kind: "declared"; owner: CellInfo; declaration: TopLevelDeclaration }
  /** Declared only below the reader. */
  | { kind: "later"; owner: CellInfo; declaration: TopLevelDeclaration };

/** A node cell that assigns a new value to a variable an earlier load or node cell declares, or changes it in place. */
export interface Rebinding {
  owner: CellInfo;
  declaration: TopLevelDeclaration;
  /** The first assignment or change in the cell. */
  at: Identifier;
  /** How the cell first changes the value in place ("calls `fit` on it"), when it does so before assigning it. */
  inPlace?: string;
}

/** An index of every top-level declaration of the notebook by name, in document order, and of the nodes that assign new values to them. */
export class DeclarationIndex {
  private readonly byName = new Map<string, Array<{ owner: CellInfo; declaration: TopLevelDeclaration }>>();
  private readonly rebindings = new Map<string, Rebinding[]>();

  constructor(cells: readonly CellInfo[]) {
    for (const owner of cells) {
      for (const declaration of owner.declarations) {
        const list = this.byName.get(declaration.name) ?? [];
        list.push({ owner, declaration });
        this.byName.set(declaration.name, list);
      }
    }
    // In document order, so that a node changing a value another node changed before it takes that node's value.
    for (const owner of cells) {
      if (owner.directives.role !== "node") continue;
      for (const read of owner.reads) {
        if (!changeAt(read.node) || (this.rebindings.get(read.name) ?? []).some((r) => r.owner === owner)) continue;
        const resolution = this.resolve(read, owner);
        if (resolution.kind !== "declared" || !resolution.declaration.isValue) continue;
        if (!["load", "node"].includes(resolution.owner.directives.role)) continue;
        const list = this.rebindings.get(read.name) ?? [];
        const inPlace = rebindingAt(read.node) ? undefined : mutationAt(read.node);
        list.push({
          owner,
          declaration: resolution.declaration,
          at: read.node,
          ...(inPlace === undefined ? {} : { inPlace }),
        });
        this.rebindings.set(read.name, list);
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
    if (latest !== undefined) {
      if (latest.declaration.kind === "import") return { kind: "import" };
      const rebound = (this.rebindings.get(read.name) ?? []).filter(
        ({ owner }) => owner.segment.cell > latest.owner.segment.cell && owner.segment.cell < reader.segment.cell,
      );
      const newest = rebound[rebound.length - 1];
      return newest === undefined
        ? { kind: "declared", ...latest }
        : { kind: "declared", owner: newest.owner, declaration: newest.declaration };
    }
    const below = all[0];
    if (below === undefined) return { kind: "local" };
    return below.declaration.kind === "import" ? { kind: "import" } : { kind: "later", ...below };
  }

  /** Every declaration of `name`, in document order. */
  declarationsOf(name: string): ReadonlyArray<{ owner: CellInfo; declaration: TopLevelDeclaration }> {
    return this.byName.get(name) ?? [];
  }

  /** The nodes after `declaration`'s cell that give it new values or change it, in document order. */
  changesOf(declaration: TopLevelDeclaration): Rebinding[] {
    return (this.rebindings.get(declaration.name) ?? []).filter((r) => r.declaration === declaration);
  }

  /**
   * The cell whose value of `declaration` is saved: a node changing it with `save: NAME` (the trained model of
   * `model.fit(…)` in a later node), else the declaring cell. A load's variable keeps its name for the file it reads.
   */
  savedValueOwner(declaration: TopLevelDeclaration): CellInfo | undefined {
    const saver = this.changesOf(declaration).find((r) => r.owner.directives.save.includes(declaration.name));
    const declaring = this.byName.get(declaration.name)?.find((d) => d.declaration === declaration)?.owner;
    return saver !== undefined && declaring?.directives.role === "node" ? saver.owner : declaring;
  }

  /**
   * The dataset a value of `declaration` travels in, as `owner` leaves it: named after the variable, or `NAME@NODE`
   * for the value node NODE gives it (`df = df.dropNa()` in node `clean` makes `df@clean`), so every value keeps a
   * dataset of its own. When a later node saves its value, that value has the plain name (the catalog entry) and the
   * declaring node's value is `NAME@NODE` too.
   */
  datasetName(owner: CellInfo, declaration: TopLevelDeclaration): string {
    return owner === this.savedValueOwner(declaration)
      ? declaration.name
      : `${declaration.name}@${owner.directives.nodeName}`;
  }

  /** The variables `cell` (a node) assigns new values to or changes, in the order it first does. */
  rebindingsOf(cell: CellInfo): Rebinding[] {
    return [...this.rebindings.values()]
      .flat()
      .filter((r) => r.owner === cell)
      .sort((a, b) => a.at.getStart() - b.at.getStart());
  }

  /** Whether `cell` assigns `name` a new value that later cells read from it. */
  rebinds(cell: CellInfo, name: string): boolean {
    return (this.rebindings.get(name) ?? []).some((r) => r.owner === cell);
  }
}
