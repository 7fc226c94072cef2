// What changed between the committed modules and a fresh extraction, in the user's words ("parameter epochs: 300 → 5", "node `train` changed").
import { ts } from "ts-morph";
import type { GeneratedFile } from "../codegen/generate.ts";
import { withoutHeaderHashes } from "../codegen/header.ts";

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile("generated.ts", text, ts.ScriptTarget.ES2022, true);
}

/** A value's text on one line, however the formatter broke it: "[64, 32]", "{ a: 1 }". */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").replace(/\[ /g, "[").replace(/,? \]/g, "]").replace(/,? \}/g, " }");
}

/** The `defaults` object of a generated parameters.ts, as name → value text ("300", "[64, 32]"). */
function parameterDefaults(text: string | undefined): Map<string, string> {
  const values = new Map<string, string>();
  if (text === undefined) return values;
  const source = parse(text);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const init = declaration.initializer;
      if (
        !ts.isIdentifier(declaration.name) ||
        declaration.name.text !== "defaults" ||
        init === undefined ||
        !ts.isObjectLiteralExpression(init)
      )
        continue;
      for (const property of init.properties) {
        if (
          ts.isPropertyAssignment(property) &&
          (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
        ) {
          values.set(property.name.text, oneLine(property.initializer.getText(source)));
        }
      }
    }
  }
  return values;
}

/** The exported functions of a generated nodes.ts, by name, with their text (doc comment included). */
function nodeFunctions(text: string | undefined): Map<string, string> {
  const functions = new Map<string, string>();
  if (text === undefined) return functions;
  const source = parse(text);
  for (const statement of source.statements) {
    const exported =
      ts.canHaveModifiers(statement) &&
      ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;
    if (ts.isFunctionDeclaration(statement) && exported && statement.name !== undefined)
      functions.set(statement.name.text, statement.getFullText(source));
  }
  return functions;
}

function compareNamed(
  kind: string,
  before: Map<string, string>,
  after: Map<string, string>,
  describeChange: (name: string, from: string, to: string) => string,
): string[] {
  const changes: string[] = [];
  for (const [name, value] of after) {
    const old = before.get(name);
    if (old === undefined) changes.push(`${kind} ${name} added`);
    else if (old !== value) changes.push(describeChange(name, old, value));
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push(`${kind} ${name} removed`);
  return changes;
}

/** One phrase per change, in the order a user cares: parameters, nodes, shared code, the predict cell, the wiring. */
export function describeDrift(existing: ReadonlyMap<string, string>, planned: readonly GeneratedFile[]): string[] {
  if (existing.size === 0) return ["not extracted yet"];
  const plannedText = new Map(planned.map((f) => [f.name, f.text]));
  // The header's hashes differ whenever anything does; only the code says what changed.
  const code = (text: string | undefined): string | undefined =>
    text === undefined ? undefined : withoutHeaderHashes(text);
  const changed = (name: string): boolean => code(existing.get(name)) !== code(plannedText.get(name));
  const changes: string[] = [];
  if (changed("parameters.ts")) {
    const parameters = compareNamed(
      "parameter",
      parameterDefaults(code(existing.get("parameters.ts"))),
      parameterDefaults(code(plannedText.get("parameters.ts"))),
      (name, from, to) => `parameter ${name}: ${from} → ${to}`,
    );
    changes.push(...(parameters.length > 0 ? parameters : ["parameter types or descriptions changed"]));
  }
  if (changed("nodes.ts")) {
    const nodes = compareNamed(
      "node",
      nodeFunctions(code(existing.get("nodes.ts"))),
      nodeFunctions(code(plannedText.get("nodes.ts"))),
      (name) => `node ${name} changed`,
    );
    changes.push(...(nodes.length > 0 ? nodes : ["node imports changed"]));
  }
  if (changed("shared.ts")) changes.push("shared code changed");
  if (changed("predict.ts")) changes.push("predict cell changed");
  if (changes.length === 0 && changed("pipeline.ts")) changes.push("node inputs or outputs changed");
  return changes;
}
