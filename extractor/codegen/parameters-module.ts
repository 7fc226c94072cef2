// parameters.ts: the `Parameters` interface, the notebook's defaults, and the JSON schema overrides are validated against.
import type { JsonValue } from "../analysis/json-schema.ts";
import type { PipelineModel } from "../analysis/model.ts";
import { printLiteral } from "./literal.ts";

/** The body of parameters.ts, after its imports. */
export function parametersModuleBody(model: PipelineModel): string {
  const { parameters, source } = model;
  const fields = parameters.map(
    (p) =>
      `${p.description === undefined ? "" : `  /** ${p.description.replace(/\*\//g, "* /").replace(/\n+/g, " ")} */\n`}  ${p.name}: ${p.type};`,
  );
  const declaration =
    parameters.length === 0
      ? `/** The pipeline's parameters: ${source} has no \`parameters\` cell. */\nexport type Parameters = Record<string, never>;`
      : // A type alias, not an interface: only object literal types are assignable to the runtime's Record<string, unknown>.
        `/** The pipeline's parameters, from the \`parameters\` cell of ${source}. */\nexport type Parameters = {\n${fields.join("\n")}\n};`;
  const defaults: { [key: string]: JsonValue } = Object.fromEntries(parameters.map((p) => [p.name, p.value]));
  const schema: JsonValue = {
    type: "object",
    properties: Object.fromEntries(parameters.map((p) => [p.name, p.schema])),
    required: parameters.map((p) => p.name),
    additionalProperties: false,
  };
  return [
    declaration,
    `/** The notebook's values: a run uses them unless conf/ or \`--params\` override them. */\nexport const defaults: Parameters = ${printLiteral(defaults)};`,
    `/** JSON schema of the parameters: overrides are validated against it. */\nexport const schema: JsonSchema = ${printLiteral(schema)};`,
  ].join("\n\n");
}
