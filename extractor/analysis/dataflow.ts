// Binds what each extracted cell reads to where it comes from, per DESIGN.md's dataflow rules, and reports reads the pipeline cannot honour.
import type { CellInfo } from "./cells.ts";
import type { AnalysisContext } from "./context.ts";
import type { TopLevelDeclaration } from "./declarations.ts";
import type { IdentifierRead } from "./free-identifiers.ts";
import { mutationAt, rebindingAt } from "./mutations.ts";

/** Where a read value comes from in the pipeline. */
export type Binding =
  /** An `export` cell's declaration: imported from shared.ts. */
  | { kind: "shared" }
  /** A parameter: the node input `params:NAME`. */
  | { kind: "parameter"; owner: CellInfo; declaration: TopLevelDeclaration }
  /** A loaded dataset or a node's output: a node input named after the variable. */
  | { kind: "dataset"; owner: CellInfo; declaration: TopLevelDeclaration }
  /** A type declared in a node or predict cell: hoisted into its generated module. */
  | { kind: "hoisted-type"; owner: CellInfo };

/** One read of an extracted cell with its binding. */
export interface BoundRead {
  read: IdentifierRead;
  binding: Binding;
}

/** What each extracted cell reads, bound; and which declarations later extracted cells use. */
export interface Dataflow {
  reads: ReadonlyMap<CellInfo, readonly BoundRead[]>;
  /** Keys `cell:name` of node and load declarations that a later node or the predict cell reads. */
  used: ReadonlySet<string>;
}

/** The key of a declaration in `Dataflow.used`. */
export function useKey(cell: CellInfo, name: string): string {
  return `${cell.segment.cell}:${name}`;
}

function explorationDetail(ctx: AnalysisContext, reader: CellInfo, read: IdentifierRead, owner: CellInfo): string {
  const earlier = ctx.index
    .declarationsOf(read.name)
    .filter((d) => d.owner.segment.cell < owner.segment.cell && d.owner.directives.role !== "exploration");
  const who = ctx.describe(reader);
  const n = ctx.label(owner);
  if (owner.directives.skip) {
    return `${who} reads \`${read.name}\`, which ${n} declares, but that cell is tagged \`skip\`: remove \`skip\` and tag it \`node\`, or move the declaration into an extracted cell.`;
  }
  const last = earlier[earlier.length - 1];
  if (last !== undefined) {
    return `${who} reads \`${read.name}\`, which exploration ${n} redeclares after ${ctx.label(last.owner)}: the notebook uses the later value but the pipeline cannot; tag ${n} \`node\` or rename one of the two.`;
  }
  return `${who} reads \`${read.name}\`, which only exploration ${n} declares: tag it \`node\` or move the declaration.`;
}

/** Binds one read of `reader`; reports and returns undefined when the pipeline cannot provide it. */
function bind(ctx: AnalysisContext, reader: CellInfo, read: IdentifierRead): Binding | undefined | "local" {
  const resolution = ctx.index.resolve(read, reader);
  if (resolution.kind === "local" || resolution.kind === "import") return "local";
  const { owner, declaration } = resolution;
  const who = ctx.describe(reader);
  const n = ctx.label(owner);
  if (resolution.kind === "later") {
    ctx.error(
      "later-read",
      reader,
      read.node,
      `${who} reads \`${read.name}\`, which is declared later, in ${n}: move that declaration above this cell, or move this cell below it.`,
    );
    return undefined;
  }
  const role = owner.directives.role;
  const readerRole = reader.directives.role;
  if (ctx.reported.has(owner.segment.cell)) return undefined; // follows from an error already reported there
  if (role === "exploration") {
    ctx.error("exploration-read", reader, read.node, explorationDetail(ctx, reader, read, owner));
    return undefined;
  }
  if (role === "export") return { kind: "shared" };
  if (readerRole === "export") {
    ctx.error(
      "export-reads-pipeline",
      reader,
      read.node,
      `${who} reads \`${read.name}\` from ${ctx.describe(owner)}, but \`export\` cells are lifted into shared.ts on their own: they may use imports and other \`export\` cells only; pass \`${read.name}\` as a function argument instead.`,
    );
    return undefined;
  }
  if (role === "predict") {
    ctx.error(
      "predict-read",
      reader,
      read.node,
      `${who} reads \`${read.name}\` from the \`predict\` ${n}, which only serves: move \`${read.name}\` into an \`export\` cell.`,
    );
    return undefined;
  }
  if (!declaration.isValue) {
    if (role === "node" || role === readerRole) return { kind: "hoisted-type", owner };
    ctx.error(
      "export-reads-pipeline",
      reader,
      read.node,
      `${who} uses type \`${read.name}\`, which ${ctx.describe(owner)} declares: declare shared types in an \`export\` cell so every generated module can import them.`,
    );
    return undefined;
  }
  if (role === "parameters") return { kind: "parameter", owner, declaration };
  return { kind: "dataset", owner, declaration };
}

/** The first node or predict cell after `explorer` that reads `name` as declared before `explorer`, if any. */
function laterReader(ctx: AnalysisContext, explorer: CellInfo, name: string): CellInfo | undefined {
  return ctx.cells.find((cell) => {
    const role = cell.directives.role;
    if (cell.segment.cell <= explorer.segment.cell || (role !== "node" && role !== "predict")) return false;
    return cell.reads.some((read) => {
      if (read.name !== name) return false;
      const resolution = ctx.index.resolve(read, cell);
      return resolution.kind === "declared" && resolution.owner.segment.cell < explorer.segment.cell;
    });
  });
}

/**
 * Reports exploration cells that change a pipeline variable a later node or predict cell reads: the notebook goes
 * on with the changed value, the pipeline cannot. Assigning it (`df = df.head(10)` between two nodes) is an error;
 * changing it in place (`rows.sort()`, `{ inplace: true }`), which is told from the code less surely, a warning.
 */
function reportExplorationChanges(ctx: AnalysisContext): void {
  for (const explorer of ctx.cells) {
    if (explorer.directives.role !== "exploration") continue;
    const seen = new Set<string>();
    for (const write of explorer.reads) {
      const reassigns = rebindingAt(write.node);
      const mutation = reassigns ? undefined : mutationAt(write.node);
      if (!reassigns && mutation === undefined) continue;
      if (seen.has(write.name)) continue;
      const changed = ctx.index.resolve(write, explorer);
      if (changed.kind !== "declared" || changed.owner.directives.role === "exploration") continue;
      const reader = laterReader(ctx, explorer, write.name);
      if (reader === undefined) continue;
      seen.add(write.name);
      const n = ctx.label(explorer);
      const effect = `the notebook runs that cell on the changed value, the pipeline on the value of ${ctx.label(changed.owner)}`;
      if (reassigns)
        ctx.error(
          "exploration-reassigns",
          explorer,
          write.node,
          `exploration ${n} assigns a new value to \`${write.name}\`, and ${ctx.describe(reader)} reads it afterwards: ${effect}. Tag ${n} \`node\` so the pipeline makes the same change, or assign to a new variable there.`,
        );
      else
        ctx.warn(
          "exploration-mutates",
          explorer,
          write.node,
          `exploration ${n} changes \`${write.name}\` in place (${mutation}), and ${ctx.describe(reader)} reads it afterwards: ${effect}. Work on a copy there, or tag ${n} \`node\` and give the changed value a name of its own.`,
        );
    }
  }
}

/**
 * Warns where a node changes an earlier node's value in place (`model.fit(…)`) and the pipeline cannot keep the
 * notebook's order around it: the change is made to the very object the earlier node passed on, so a node between
 * the two that reads the value as it was may run after the change (nothing it outputs is an input of the change), and
 * a `save` on the declaring cell keeps the value from before the change.
 */
function reportInPlaceChanges(ctx: AnalysisContext): void {
  for (const changer of ctx.cells) {
    if (changer.directives.role !== "node") continue;
    for (const change of ctx.index.rebindingsOf(changer)) {
      if (change.inPlace === undefined) continue;
      const { declaration } = change;
      const name = declaration.name;
      const declaring = ctx.cell(declaration.cell);
      if (declaring === undefined) continue;
      const earlier = ctx.index.changesOf(declaration).filter((c) => c.owner.segment.cell < changer.segment.cell);
      const before = earlier[earlier.length - 1]?.owner ?? declaring;
      const what = `${ctx.describe(changer)} changes \`${name}\` in place (it ${change.inPlace})`;
      if (before === declaring && declaring.directives.save.includes(name)) {
        ctx.warn(
          "saved-before-change",
          declaring,
          declaration.nameNode,
          `\`save: ${name}\` in ${ctx.label(declaring)} saves \`${name}\` as this cell leaves it, and ${what} afterwards: to save the changed value (the trained model), move \`save: ${name}\` to ${ctx.label(changer)}.`,
        );
      }
      const feedsChanger = (reader: CellInfo): boolean =>
        changer.reads.some((read) => {
          const resolution = ctx.index.resolve(read, changer);
          return resolution.kind === "declared" && resolution.owner === reader;
        });
      for (const reader of ctx.cells) {
        const between = reader.segment.cell > before.segment.cell && reader.segment.cell < changer.segment.cell;
        if (!between || reader.directives.role !== "node" || feedsChanger(reader)) continue;
        const read = reader.reads.find((r) => {
          if (r.name !== name) return false;
          const resolution = ctx.index.resolve(r, reader);
          return resolution.kind === "declared" && resolution.owner === before;
        });
        if (read === undefined) continue;
        ctx.warn(
          "read-before-change",
          reader,
          read.node,
          `${ctx.describe(reader)} reads \`${name}\` before ${what}, but the pipeline may run the two in either order, since it is one object and ${ctx.label(changer)} reads nothing ${ctx.label(reader)} computes: read a copy here, or change a copy in ${ctx.label(changer)}.`,
        );
      }
    }
  }
}

/** Binds the reads of every node, predict and export cell, in document order. */
export function bindDataflow(ctx: AnalysisContext): Dataflow {
  reportExplorationChanges(ctx);
  reportInPlaceChanges(ctx);
  const reads = new Map<CellInfo, BoundRead[]>();
  const used = new Set<string>();
  for (const reader of ctx.cells) {
    const role = reader.directives.role;
    if (role !== "node" && role !== "predict" && role !== "export") continue;
    const bound: BoundRead[] = [];
    for (const read of reader.reads) {
      const binding = bind(ctx, reader, read);
      if (binding === undefined || binding === "local") continue;
      bound.push({ read, binding });
      if (binding.kind === "dataset") used.add(useKey(binding.owner, read.name));
    }
    reads.set(reader, bound);
  }
  return { reads, used };
}
