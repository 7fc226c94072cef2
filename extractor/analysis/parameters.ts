// The `parameters` cell: its top-level literal consts become typed pipeline parameters with defaults and a JSON schema.
import { Node } from "ts-morph";
import type { CellInfo } from "./cells.ts";
import type { AnalysisContext } from "./context.ts";
import { documentedSchemaOf, SchemaError } from "./json-schema.ts";
import { literalValue } from "./literals.ts";
import type { ParameterModel } from "./model.ts";

/** The parameters declared by a `parameters` cell; reports declarations that are not literal consts. */
export function analyzeParameters(ctx: AnalysisContext, cell: CellInfo): ParameterModel[] {
  const parameters: ParameterModel[] = [];
  for (const declaration of cell.declarations) {
    if (!declaration.isValue || declaration.kind === "import") continue;
    const variable = declaration.nameNode.getParent();
    const initializer = Node.isVariableDeclaration(variable) ? variable.getInitializer() : undefined;
    const value = initializer === undefined ? undefined : literalValue(initializer);
    if (!declaration.isConst || value === undefined || !Node.isVariableDeclaration(variable)) {
      const what =
        declaration.kind !== "variable"
          ? `a ${declaration.kind}`
          : !declaration.isConst
            ? "a `let`"
            : "a value that is not a literal";
      ctx.error(
        "parameter-not-literal",
        cell,
        declaration.nameNode,
        `the \`parameters\` cell declares \`${declaration.name}\` as ${what}: parameters are \`const\` literals (numbers, strings, booleans, arrays or objects of them; arithmetic of numbers such as \`60 * 1000\`) so runs can override them; compute \`${declaration.name}\` in a node instead.`,
      );
      continue;
    }
    // Widened (`0.2` → number) so runs can override it, unless the user annotated the type they mean.
    const annotated = variable.getTypeNode() !== undefined;
    const type = annotated ? declaration.nameNode.getType() : declaration.nameNode.getType().getBaseTypeOfLiteralType();
    let schema;
    try {
      schema = documentedSchemaOf(type, declaration.nameNode, declaration.nameNode.getSymbol(), declaration.name);
    } catch (error) {
      if (!(error instanceof SchemaError)) throw error;
      ctx.error("parameter-not-literal", cell, declaration.nameNode, error.message);
      continue;
    }
    const description = typeof schema["description"] === "string" ? schema["description"] : undefined;
    const model: ParameterModel = {
      name: declaration.name,
      type: ctx.printer.printDeclared(declaration.nameNode, { widenLiterals: true }),
      value,
      schema: { ...schema, default: value },
    };
    parameters.push(description === undefined ? model : { ...model, description });
  }
  return parameters;
}
