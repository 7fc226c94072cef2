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
  const parameter =
    predict.artifacts.length === 0 ? "" : `{ ${predict.artifacts.map((a) => a.name).join(", ")} }: PredictArtifacts`;
  const artifacts =
    predict.artifacts.length === 0
      ? []
      : [
          `/** The model artifacts the predictor needs, loaded from the catalog by name. */\nexport interface PredictArtifacts {\n${predict.artifacts.map((a) => `  ${a.name}: ${a.type};`).join("\n")}\n}`,
        ];
  const body = [predict.body, `return ${predict.functionName};`].filter((part) => part !== "").join("\n\n");
  return [
    ...artifacts,
    `/** Builds the serving function of ${source} cell ${predict.cell} from its artifacts. */\nexport function createPredictor(${parameter}): ${predict.functionType} {\n${indent(body)}\n}`,
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
