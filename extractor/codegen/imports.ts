// Writes the import statements a generated module needs: the notebook's imports and local modules, kept only where used.
import { relative } from "node:path";
import { ts } from "ts-morph";
import type { ImportModel } from "../analysis/model.ts";
import { isTypePosition } from "../analysis/type-position.ts";

const MAX_LINE = 110;

/** Names a sibling generated module exports (shared.ts, nodes.ts), and whether each is a type. */
export interface LocalModule {
  specifier: string;
  names: readonly { name: string; typeOnly: boolean }[];
}

/** How a module's text uses each name: in values (needs the binding at run time) or only in types. */
type Usage = Map<string, "value" | "type">;

function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (
    (ts.isPropertyAccessExpression(parent) || ts.isQualifiedName(parent)) &&
    (ts.isPropertyAccessExpression(parent) ? parent.name : parent.right) === id
  )
    return false;
  if (
    (ts.isPropertyAssignment(parent) ||
      ts.isPropertySignature(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isMethodSignature(parent)) &&
    parent.name === id
  )
    return false;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isNamespaceImport(parent)) return false;
  return true;
}

/** The names `text` refers to, and how. */
export function usageOf(text: string): Usage {
  const file = ts.createSourceFile("module.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const usage: Usage = new Map();
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && isReference(node)) {
      const kind = isTypePosition(node) ? "type" : "value";
      if (usage.get(node.text) !== "value") usage.set(node.text, kind);
    }
    if (ts.isShorthandPropertyAssignment(node)) usage.set(node.name.text, "value");
    ts.forEachChild(node, visit);
  };
  visit(file);
  return usage;
}

function specifierFrom(outDir: string, model: ImportModel): string {
  if (model.absolutePath === undefined) return model.specifier;
  const path = relative(outDir, model.absolutePath).replaceAll("\\", "/");
  return path.startsWith(".") ? path : `./${path}`;
}

function named(parts: ReadonlyArray<{ text: string; typeOnly: boolean }>, from: string): string {
  if (parts.length === 0) return "";
  const allTypes = parts.every((p) => p.typeOnly);
  const names = parts.map((p) => (p.typeOnly && !allTypes ? `type ${p.text}` : p.text));
  const line = `import ${allTypes ? "type " : ""}{ ${names.join(", ")} } from "${from}";`;
  return line.length <= MAX_LINE
    ? line
    : `import ${allTypes ? "type " : ""}{\n${names.map((n) => `  ${n},`).join("\n")}\n} from "${from}";`;
}

/** The import statements `body` needs, from the notebook's imports (in notebook order) and then the local modules. */
export function importsFor(
  body: string,
  notebookImports: readonly ImportModel[],
  locals: readonly LocalModule[],
  outDir: string,
): string {
  const usage = usageOf(body);
  const typeOnly = (name: string, declaredTypeOnly: boolean): boolean => declaredTypeOnly || usage.get(name) === "type";
  const lines: string[] = [];
  for (const model of notebookImports) {
    const from = specifierFrom(outDir, model);
    if (model.defaultName !== undefined && usage.has(model.defaultName)) {
      lines.push(
        `import ${typeOnly(model.defaultName, model.typeOnly) ? "type " : ""}${model.defaultName} from "${from}";`,
      );
    }
    if (model.namespace !== undefined && usage.has(model.namespace)) {
      lines.push(
        `import ${typeOnly(model.namespace, model.typeOnly) ? "type " : ""}* as ${model.namespace} from "${from}";`,
      );
    }
    const parts = model.named
      .filter((n) => usage.has(n.alias ?? n.name))
      .map((n) => ({
        text: n.alias === undefined ? n.name : `${n.name} as ${n.alias}`,
        typeOnly: typeOnly(n.alias ?? n.name, n.typeOnly),
      }));
    const line = named(parts, from);
    if (line !== "") lines.push(line);
  }
  for (const local of locals) {
    const parts = local.names
      .filter((n) => usage.has(n.name))
      .map((n) => ({ text: n.name, typeOnly: typeOnly(n.name, n.typeOnly) }));
    const line = named(parts, local.specifier);
    if (line !== "") lines.push(line);
  }
  return lines.join("\n");
}
