// predict.ts: the predict cell's function as a factory over its model artifacts, with the request and response JSON schemas.
import type { PipelineModel, PredictModel } from "../analysis/model.ts";
import { printLiteral } from "./literal.ts";

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? "" : `  ${line}`))
    .join("\n");
}

function withExport(text: string): string {
  return /^(\/\*\*[\s\S]*?\*\/\s*)?export\s/.test(text)
    ? text
    : text.replace(/^((?:\/\*\*[\s\S]*?\*\/\s*)?)/, "$1export ");
}

function factory(predict: PredictModel, source: string): string {
  const artifactNames = predict.artifacts.map((a) => a.name);
  const parameterNames = predict.parameters.map((p) => p.name);
  const artifactsParameter =
    artifactNames.length === 0
      ? "_artifacts: Record<string, never>"
      : `{ ${artifactNames.join(", ")} }: PredictArtifacts`;
  const factoryParameters =
    parameterNames.length === 0
      ? artifactNames.length === 0
        ? ""
        : artifactsParameter
      : `${artifactsParameter}, { ${parameterNames.join(", ")} }: PredictParameters`;
  const declarations = [
    ...(artifactNames.length === 0
      ? []
      : [
          `/** The model artifacts the predictor needs, loaded from the catalog by name. */\nexport interface PredictArtifacts {\n${predict.artifacts.map((a) => `  ${a.name}: ${a.type};`).join("\n")}\n}`,
        ]),
    ...(parameterNames.length === 0
      ? []
      : [
          `/** The parameters the predictor reads: serving passes the values of the model's training run. */\nexport type PredictParameters = Pick<Parameters, ${parameterNames.map((n) => JSON.stringify(n)).join(" | ")}>;`,
        ]),
  ];
  // Saved class instances come from their JSON files as plain data: give them their classes' methods again.
  const revived = predict.artifacts
    .filter((a) => a.revive !== undefined)
    .map((a) => `${a.name} = reviveInstance(${a.revive}, ${a.name});`);
  const fn = predict.functionName;
  const serving =
    predict.perRecord === undefined
      ? `return ${fn};`
      : predict.perRecord.async
        ? `// \`${fn}\` answers one record: the server calls the predictor with a batch.\nreturn async (rows) => Promise.all(rows.map((row) => ${fn}(row)));`
        : `// \`${fn}\` answers one record: the server calls the predictor with a batch.\nreturn (rows) => rows.map((row) => ${fn}(row));`;
  const body = [revived.join("\n"), predict.body, serving].filter((part) => part !== "").join("\n\n");
  const from = parameterNames.length === 0 ? "its artifacts" : "its artifacts and training parameters";
  return [
    ...declarations,
    `/** Builds the serving function of ${source} cell ${predict.cell} from ${from}. */\nexport function createPredictor(${factoryParameters}): ${predict.functionType} {\n${indent(body)}\n}`,
  ].join("\n\n");
}

/** The body of predict.ts, after its imports; undefined when the notebook has no `predict` cell. */
export function predictModuleBody(model: PipelineModel): string | undefined {
  const { predict } = model;
  if (predict === undefined) return undefined;
  return [
    ...model.predictTypes.map((t) => withExport(t.text)),
    factory(predict, model.source),
    `/** JSON schema of one request record: \`${predict.functionName}\` takes an array of them. */\nexport const inputSchema: JsonSchema = ${printLiteral(predict.inputSchema)};`,
    `/** JSON schema of one response record. */\nexport const outputSchema: JsonSchema = ${printLiteral(predict.outputSchema)};`,
  ].join("\n\n");
}
