// pipeline.ts: the definition the runner consumes (runtime/pipeline/definition.ts), wiring nodes, parameters and the predictor.
import type { PipelineModel } from "../analysis/model.ts";

/** A string array literal: on one line when it fits, else one item per line at `indent`. */
function list(values: readonly string[], indent = "      "): string {
  const flat = `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
  if (flat.length + indent.length <= 100) return flat;
  return `[\n${values.map((v) => `${indent}  ${JSON.stringify(v)},`).join("\n")}\n${indent}]`;
}

/** The whole of pipeline.ts after the header; `codeHashes` maps node names to the sha256 of their generated function, `predictCodeHash` is predict.ts's. */
export function pipelineModule(
  model: PipelineModel,
  codeHashes: ReadonlyMap<string, string>,
  predictCodeHash?: string,
): string {
  const imports = [
    `import { definePipeline } from "@cellforge/runtime/pipeline";`,
    ...(model.nodes.length === 0
      ? []
      : [`import { ${model.nodes.map((n) => n.functionName).join(", ")} } from "./nodes.ts";`]),
    `import { defaults, schema } from "./parameters.ts";`,
    ...(model.predict === undefined
      ? []
      : [`import { createPredictor, inputSchema, outputSchema } from "./predict.ts";`]),
  ];
  const nodes = model.nodes.map((node) =>
    [
      "    {",
      `      name: ${JSON.stringify(node.name)},`,
      `      func: ${node.functionName},`,
      `      inputs: ${list(node.inputs.map((i) => i.dataset))},`,
      `      outputs: ${list(node.outputs.map((o) => o.dataset))},`,
      ...(node.metrics.length === 0 ? [] : [`      metrics: ${list(node.metrics)},`]),
      `      tags: ${list(node.tags)},`,
      `      codeHash: ${JSON.stringify(codeHashes.get(node.name) ?? "")},`,
      `      source: ${JSON.stringify(`${model.source} cell ${node.cell}`)},`,
      "    },",
    ].join("\n"),
  );
  const predict =
    model.predict === undefined
      ? []
      : [
          "  predict: {",
          `    artifacts: ${list(
            model.predict.artifacts.map((a) => a.name),
            "    ",
          )},`,
          ...(model.predict.parameters.length === 0
            ? []
            : [
                `    parameters: ${list(
                  model.predict.parameters.map((p) => p.name),
                  "    ",
                )},`,
              ]),
          "    create: createPredictor,",
          "    inputSchema,",
          "    outputSchema,",
          `    codeHash: ${JSON.stringify(predictCodeHash ?? "")},`,
          "  },",
        ];
  return [
    ...imports,
    "",
    `/** The \`${model.name}\` pipeline, extracted from ${model.source}. */`,
    "export default definePipeline({",
    `  name: ${JSON.stringify(model.name)},`,
    `  source: ${JSON.stringify(model.source)},`,
    model.nodes.length === 0 ? "  nodes: []," : `  nodes: [\n${nodes.join("\n")}\n  ],`,
    "  parameters: { defaults, schema },",
    ...predict,
    "});",
    "",
  ].join("\n");
}
