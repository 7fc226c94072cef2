// The `predict` cell: its serving function, the model artifacts it needs, and the JSON schemas of its input and output records.
import { Node, type ArrowFunction, type FunctionDeclaration, type FunctionExpression, type Type } from "ts-morph";
import { cellBody, hoistTypes, type CellInfo } from "./cells.ts";
import type { AnalysisContext } from "./context.ts";
import type { Dataflow } from "./dataflow.ts";
import { datasetTypeOf, persistedType, type DatasetChoice } from "./dataset-types.ts";
import { classToRevive } from "./revivable.ts";
import { jsonSchemaOf, SchemaError, type JsonSchema } from "./json-schema.ts";
import type { ArtifactModel, HoistedDeclaration, PredictModel, TypedName } from "./model.ts";

/** What the predict cell contributes: the serving function and its hoisted types. */
export interface PredictAnalysis {
  predict: PredictModel;
  types: HoistedDeclaration[];
}

type FunctionNode = FunctionDeclaration | ArrowFunction | FunctionExpression;

function servingFunction(cell: CellInfo): Array<{ name: string; node: FunctionNode }> {
  const functions: Array<{ name: string; node: FunctionNode }> = [];
  for (const declaration of cell.declarations) {
    const parent = declaration.nameNode.getParent();
    if (Node.isFunctionDeclaration(parent)) functions.push({ name: declaration.name, node: parent });
    if (Node.isVariableDeclaration(parent)) {
      const initializer = parent.getInitializer();
      if (Node.isArrowFunction(initializer) || Node.isFunctionExpression(initializer))
        functions.push({ name: declaration.name, node: initializer });
    }
  }
  return functions;
}

function unwrapPromise(type: Type): Type {
  const symbol = type.getSymbol();
  return symbol?.getName() === "Promise" ? (type.getTypeArguments()[0] ?? type) : type;
}

function elementOf(type: Type): Type | undefined {
  return type.isArray() || type.isReadonlyArray()
    ? (type.getArrayElementType() ?? type.getTypeArguments()[0])
    : undefined;
}

/** Analyzes the predict cell; reports and returns undefined when it has no usable serving function. */
export function analyzePredict(ctx: AnalysisContext, cell: CellInfo, flow: Dataflow): PredictAnalysis | undefined {
  const functions = servingFunction(cell);
  const chosen = functions.find((f) => f.name === "predict") ?? (functions.length === 1 ? functions[0] : undefined);
  if (chosen === undefined) {
    const found =
      functions.length === 0
        ? "declares no function"
        : `declares several functions (${functions.map((f) => `\`${f.name}\``).join(", ")}) and none is named \`predict\``;
    ctx.error(
      "predict-without-function",
      cell,
      undefined,
      `the \`predict\` cell ${found}: declare the serving function as \`async function predict(rows: Input[]): Promise<Output[]>\`.`,
    );
    return undefined;
  }
  const { node: fn, name } = chosen;
  const [parameter, ...extra] = fn.getParameters();
  if (parameter === undefined || extra.length > 0) {
    ctx.error(
      "predict-signature",
      cell,
      fn,
      `\`${name}\` must take exactly one parameter: an array of request records (\`rows: PokemonStats[]\`), or one record (\`row: PokemonStats\`), which the server then calls for each record of a batch.`,
    );
    return undefined;
  }
  const declaredReturn = fn.getReturnType();
  const returnType = unwrapPromise(declaredReturn);
  const batchInput = elementOf(parameter.getType());
  // One record in, one answer out: the predictor maps the function over the batch.
  const perRecord = batchInput === undefined ? { async: returnType !== declaredReturn } : undefined;
  const inputType = batchInput ?? parameter.getType();
  const outputType = perRecord === undefined ? elementOf(returnType) : returnType;
  if (outputType === undefined) {
    ctx.error(
      "predict-signature",
      cell,
      fn,
      `\`${name}\` takes an array of request records, so it must return an array (or a Promise of one) with one result per record; it returns \`${returnType.getText(fn)}\`. To answer one record at a time, declare \`${name}(row: Input): Output\`.`,
    );
    return undefined;
  }
  let inputSchema: JsonSchema | undefined;
  let outputSchema: JsonSchema | undefined;
  try {
    inputSchema = jsonSchemaOf(
      inputType,
      fn,
      perRecord === undefined ? `${parameter.getName()}[]` : parameter.getName(),
    );
    outputSchema = jsonSchemaOf(outputType, fn, perRecord === undefined ? `${name}(…)[]` : `${name}(…)`);
  } catch (error) {
    if (!(error instanceof SchemaError)) throw error;
    ctx.error("predict-schema", cell, fn, error.message);
    return undefined;
  }

  const artifacts: ArtifactModel[] = [];
  const parameters: TypedName[] = [];
  for (const { read, binding } of flow.reads.get(cell) ?? []) {
    if (binding.kind === "parameter") {
      // Serving binds the value recorded in the model's training run (the registry keeps it with the version).
      if (!parameters.some((p) => p.name === read.name))
        parameters.push({
          name: read.name,
          type: ctx.printer.printDeclared(binding.declaration.nameNode, { widenLiterals: true }),
        });
      continue;
    }
    if (binding.kind !== "dataset" || artifacts.some((a) => a.name === read.name)) continue;
    const owner = binding.owner;
    if (ctx.index.savedValueOwner(binding.declaration) !== owner) {
      // The value a later node gave the variable (`df = df.dropNa()`, `model.fit(…)`), which its cell does not save.
      const declaring = ctx.cell(binding.declaration.cell) ?? owner;
      const change = ctx.index.changesOf(binding.declaration).find((r) => r.owner === owner);
      const how =
        change?.inPlace === undefined ? "assigns it a new value" : `changes it in place: it ${change.inPlace}`;
      const savedEarlier = declaring.directives.save.includes(read.name)
        ? `; \`save: ${read.name}\` in ${ctx.label(declaring)} saves it as it was before`
        : "";
      ctx.error(
        "predict-not-saved",
        cell,
        read.node,
        declaring.directives.role === "node"
          ? `the predict function reads \`${read.name}\` as ${ctx.describe(owner)} leaves it (that cell ${how}), which is not saved${savedEarlier}: add \`save: ${read.name}\` to ${ctx.label(owner)}${savedEarlier === "" ? "" : ` and remove it from ${ctx.label(declaring)}`} so the served model loads that value.`
          : `the predict function reads \`${read.name}\` as ${ctx.describe(owner)} leaves it (that cell ${how}), but \`${read.name}\` is what ${ctx.describe(declaring)} reads: declare the new value under a name of its own in ${ctx.label(owner)} (\`const tuned = …\`), add \`save: tuned\` there and read that in \`${name}\`.`,
      );
      continue;
    }
    const revive = classToRevive(ctx, binding.declaration.nameNode.getType());
    if (owner.directives.role === "node") {
      const choice: DatasetChoice =
        revive === undefined
          ? datasetTypeOf(binding.declaration.nameNode.getType())
          : "name" in revive
            ? { type: "json" }
            : revive;
      if ("reason" in choice) {
        ctx.error(
          "predict-unpersistable",
          cell,
          read.node,
          // A class's own reason says what to do; any other value could be shared code or derived from saved data.
          `the predict function reads \`${read.name}\` from ${ctx.describe(owner)}, which cannot be persisted as a model artifact: it ${choice.reason}${revive === undefined ? `; move it into an \`export\` cell so the predictor imports it, or derive it from saved data inside \`${name}\`` : ""}.`,
        );
        continue;
      }
      if (!owner.directives.save.includes(read.name)) {
        ctx.error(
          "predict-not-saved",
          cell,
          read.node,
          `the predict function reads \`${read.name}\`, which ${ctx.describe(owner)} computes but does not save: add \`save: ${read.name}\` to ${ctx.label(owner)} so the served model can load it.`,
        );
        continue;
      }
    }
    const declared = binding.declaration.nameNode;
    const choice = datasetTypeOf(declared.getType());
    const loaded = "type" in choice ? persistedType(declared.getType(), choice.type) : declared.getType();
    const type =
      loaded === declared.getType()
        ? ctx.printer.printDeclared(declared, { widenLiterals: true })
        : ctx.printer.print(loaded, declared);
    artifacts.push({
      name: read.name,
      type,
      ...(revive !== undefined && "name" in revive ? { revive: revive.name } : {}),
    });
  }

  const parameterType = parameter.getTypeNode()?.getText() ?? ctx.printer.print(parameter.getType(), fn);
  const resultType = fn.getReturnTypeNode()?.getText() ?? ctx.printer.print(fn.getReturnType(), fn);
  // An array of a union, an intersection or a function type needs parentheses; `{ hp: number }[]` does not.
  const arrayOf = (type: string): string => (/[|&]|=>/.test(type) ? `(${type})[]` : `${type}[]`);
  const output = ctx.printer.print(outputType, fn);
  const functionType =
    perRecord === undefined
      ? `(${parameter.getName()}: ${parameterType}) => ${resultType}`
      : `(rows: ${arrayOf(parameterType)}) => ${perRecord.async ? `Promise<${arrayOf(output)}>` : arrayOf(output)}`;
  const { types, remove, empty } = hoistTypes(cell);
  return {
    predict: {
      cell: cell.segment.cell,
      functionName: name,
      functionType,
      ...(perRecord === undefined ? {} : { perRecord }),
      artifacts,
      parameters,
      body: cellBody(cell, ctx.file, { remove, empty }),
      inputSchema,
      outputSchema,
    },
    types,
  };
}
