// A `node` cell: its inputs, outputs, metrics and saved datasets, and its code as the body of a typed function.
import type { Node, Type } from "ts-morph";
import { cellBody, hoistTypes, type CellInfo } from "./cells.ts";
import type { AnalysisContext } from "./context.ts";
import { useKey, type Dataflow } from "./dataflow.ts";
import { datasetTypeOf, datasetTypesText, tableShapeOf, type DatasetChoice } from "./dataset-types.ts";
import type { TopLevelDeclaration } from "./declarations.ts";
import type { DatasetModel, HoistedDeclaration, NodeInput, NodeModel, NodeOutput } from "./model.ts";
import { changeAt, mutationAt } from "./mutations.ts";
import { classToRevive } from "./revivable.ts";

/** What one node cell contributes to the pipeline. */
export interface NodeAnalysis {
  node: NodeModel;
  /** Interfaces and type aliases of the cell, hoisted to the top of nodes.ts. */
  types: HoistedDeclaration[];
  /** The datasets of its `save` directive. */
  saves: DatasetModel[];
}

/**
 * Whether a metrics cell can log a variable of this type: a number or a record of numbers (flattened by the runtime
 * as `name.key`); with `series`, also number arrays (a step history such as the loss per epoch) and records of them.
 * A metrics cell without a list logs scalars only: a per-row array is data, not a metric.
 */
function isMetricType(type: Type, at: Node, allowSeries: boolean): boolean {
  const numeric = (t: Type): boolean =>
    t.isNumber() || t.isNumberLiteral() || (t.isUnion() && t.getUnionTypes().every((u) => u.isNumberLiteral()));
  const series = (t: Type): boolean =>
    numeric(t) ||
    (allowSeries &&
      (t.isArray() || t.isReadonlyArray()) &&
      numeric(t.getArrayElementType() ?? t.getTypeArguments()[0] ?? t));
  if (series(type)) return true;
  if (!type.isObject() || type.isArray() || type.getCallSignatures().length > 0 || type.isClass()) return false;
  const properties = type.getProperties();
  const index = type.getStringIndexType();
  if (properties.length === 0 && index === undefined) return false;
  return properties.every((p) => series(p.getTypeAtLocation(at))) && (index === undefined || series(index));
}

function isAnyish(type: Type): boolean {
  return type.isAny() || (type.isArray() && (type.getArrayElementType()?.isAny() ?? false));
}

function anyWarning(
  ctx: AnalysisContext,
  cell: CellInfo,
  kind: "input" | "output",
  declaration: TopLevelDeclaration,
  at: Node,
): void {
  if (!isAnyish(declaration.nameNode.getType())) return;
  const owner = ctx.cell(declaration.cell);
  const where = declaration.cell === cell.segment.cell || owner === undefined ? "" : ` in ${ctx.label(owner)}`;
  ctx.warn(
    "any-boundary",
    cell,
    at,
    `${ctx.describe(cell)} has ${kind} \`${declaration.name}\` typed \`any\`: annotate its declaration${where} (\`const ${declaration.name}: SomeType = …\`) so the node keeps a typed contract.`,
  );
}

/** Analyzes a node cell named `name` whose function is `functionName`. */
export function analyzeNode(
  ctx: AnalysisContext,
  cell: CellInfo,
  flow: Dataflow,
  names: { name: string; functionName: string; heading?: string; tags: readonly string[] },
): NodeAnalysis {
  const inputs: NodeInput[] = [];
  for (const { read, binding } of flow.reads.get(cell) ?? []) {
    if (binding.kind !== "parameter" && binding.kind !== "dataset") continue;
    if (!inputs.some((input) => input.name === read.name)) {
      // A saved class instance may come from its JSON file (a replayed or skipped node): it is revived into its class.
      const saved = binding.kind === "dataset" && binding.owner.directives.save.includes(read.name);
      const revive = saved ? classToRevive(ctx, binding.declaration.nameNode.getType()) : undefined;
      inputs.push({
        name: read.name,
        dataset:
          binding.kind === "parameter"
            ? `params:${read.name}`
            : ctx.index.datasetName(binding.owner, binding.declaration),
        type: ctx.printer.printDeclared(binding.declaration.nameNode, { widenLiterals: true }),
        ...(revive !== undefined && "name" in revive ? { revive: revive.name } : {}),
      });
      anyWarning(ctx, cell, "input", binding.declaration, read.node);
    }
    const mutation = mutationAt(read.node);
    // A new or changed value of a dataset variable (`df = df.dropNa()`, `model.fit(…)`) is an output of its own; a
    // parameter's change is lost.
    const passedOn = binding.kind === "dataset" && ctx.index.rebinds(cell, read.name) && changeAt(read.node);
    if (mutation !== undefined && !passedOn) {
      ctx.warn(
        "mutated-input",
        cell,
        read.node,
        `${ctx.describe(cell)} changes its input \`${read.name}\` from ${ctx.label(binding.owner)} (${mutation}) but cannot output it, so later cells see the change in the notebook and not in the pipeline: change a copy in a new variable instead.`,
      );
    }
  }

  const { save, metrics: isMetricsCell, metricNames } = cell.directives;
  const values = cell.declarations.filter((d) => d.isValue && d.kind !== "import");
  for (const name of metricNames ?? []) {
    const declaration = values.find((d) => d.name === name);
    const problem =
      declaration === undefined
        ? `which ${ctx.describe(cell)} does not declare at its top level`
        : isMetricType(declaration.nameNode.getType(), declaration.nameNode, true)
          ? undefined
          : `which is a \`${declaration.nameNode.getType().getText(declaration.nameNode)}\`, not a number, a number array or a record of them`;
    if (problem !== undefined) {
      ctx.error(
        "metrics-unknown",
        cell,
        declaration?.nameNode,
        `\`metrics\` names \`${name}\`, ${problem}: list numbers this cell declares (e.g. \`metrics: f1, auc\`).`,
      );
    }
  }
  const isMetric = (declaration: TopLevelDeclaration): boolean => {
    if (!isMetricsCell) return false;
    if (metricNames !== undefined)
      return (
        metricNames.includes(declaration.name) &&
        isMetricType(declaration.nameNode.getType(), declaration.nameNode, true)
      );
    return isMetricType(declaration.nameNode.getType(), declaration.nameNode, false);
  };
  for (const name of save) {
    if (values.some((d) => d.name === name)) continue;
    const rebinding = ctx.index.rebindingsOf(cell).find((r) => r.declaration.name === name);
    if (rebinding === undefined) {
      ctx.error(
        "save-undeclared",
        cell,
        undefined,
        `\`save\` names \`${name}\`, which ${ctx.describe(cell)} does not declare at its top level: save a variable this cell declares, or move the directive to the cell that declares \`${name}\`.`,
      );
      continue;
    }
    const declaring = ctx.cell(rebinding.declaration.cell) ?? cell;
    const savers = [declaring, ...ctx.index.changesOf(rebinding.declaration).map((r) => r.owner)].filter(
      (c) => c !== cell && c.directives.save.includes(name),
    );
    if (declaring.directives.role !== "node") {
      ctx.error(
        "rebound-save",
        cell,
        rebinding.at,
        `\`save: ${name}\` in ${ctx.describe(cell)}: the catalog entry \`${name}\` is the file ${ctx.describe(declaring)} reads, and this cell gives \`${name}\` a new value: assign the new value to a variable this cell declares (\`const cleaned = …\`) and save that.`,
      );
    } else if (savers.length > 0) {
      ctx.error(
        "rebound-save",
        cell,
        rebinding.at,
        `\`save: ${name}\` is on ${savers.map((c) => ctx.describe(c)).join(" and ")} too, and a saved dataset is one value: keep \`save: ${name}\` on the one cell whose value of \`${name}\` you mean to keep (the last, to keep what the notebook ends with).`,
      );
    }
  }
  const outputs: NodeOutput[] = [];
  const metrics: string[] = [];
  const saves: DatasetModel[] = [];
  const savedDataset = (declaration: TopLevelDeclaration): DatasetModel | undefined => {
    const type = declaration.nameNode.getType();
    const revive = classToRevive(ctx, type);
    const choice: DatasetChoice =
      revive === undefined ? datasetTypeOf(type) : "name" in revive ? { type: "json" } : revive;
    if ("reason" in choice) {
      ctx.error(
        "save-without-dataset-type",
        cell,
        declaration.cell === cell.segment.cell ? declaration.nameNode : undefined,
        `\`save: ${declaration.name}\` cannot persist \`${declaration.name}\`: it ${choice.reason}, and no catalog dataset type (${datasetTypesText()}) stores that; save plain data instead or drop it from \`save\`.`,
      );
      return undefined;
    }
    const shape = tableShapeOf(type, choice.type);
    return {
      name: declaration.name,
      type: choice.type,
      cell: cell.segment.cell,
      ref: cell.segment.ref,
      role: "save",
      artifact: false,
      ...(shape === undefined ? {} : { as: shape }),
    };
  };
  for (const declaration of values) {
    if (outputs.some((o) => o.name === declaration.name)) continue;
    const metric = isMetric(declaration);
    const saved = save.includes(declaration.name);
    if (!saved && !metric && !flow.used.has(useKey(cell, declaration.name))) continue;
    outputs.push({
      name: declaration.name,
      type: ctx.printer.printDeclared(declaration.nameNode, { widenLiterals: true }),
      dataset: ctx.index.datasetName(cell, declaration),
    });
    if (metric) metrics.push(declaration.name);
    anyWarning(ctx, cell, "output", declaration, declaration.nameNode);
    const dataset = saved ? savedDataset(declaration) : undefined;
    if (dataset !== undefined) saves.push(dataset);
  }

  // The new or changed values this node gives earlier variables, which later cells read or the node saves.
  for (const { declaration } of ctx.index.rebindingsOf(cell)) {
    const saved = ctx.index.savedValueOwner(declaration) === cell;
    if ((!saved && !flow.used.has(useKey(cell, declaration.name))) || outputs.some((o) => o.name === declaration.name))
      continue;
    outputs.push({
      name: declaration.name,
      type: ctx.printer.printDeclared(declaration.nameNode, { widenLiterals: true }),
      dataset: ctx.index.datasetName(cell, declaration),
    });
    const dataset = saved ? savedDataset(declaration) : undefined;
    if (dataset !== undefined) saves.push(dataset);
  }

  const { types, remove, empty } = hoistTypes(cell);
  const node: NodeModel = {
    name: names.name,
    functionName: names.functionName,
    cell: cell.segment.cell,
    async: cell.awaits,
    inputs,
    outputs,
    metrics,
    tags: names.tags,
    body: cellBody(cell, ctx.file, { remove, empty }),
  };
  return { node: names.heading === undefined ? node : { ...node, heading: names.heading }, types, saves };
}
