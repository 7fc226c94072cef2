// Resolving what code refers to: the module an identifier was imported from, the dotted path of a member
// expression, and whether a name is the global one (not shadowed).
import { AST_NODE_TYPES, TSESLint, type TSESTree } from "@typescript-eslint/utils";

type Variable = TSESLint.Scope.Variable;

/** The variable an identifier refers to, searching outward from its scope. */
export function resolve(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): Variable | undefined {
  for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(identifier); scope !== null; scope = scope.upper) {
    const variable = scope.set.get(identifier.name);
    if (variable !== undefined) return variable;
  }
  return undefined;
}

/** An identifier bound by an import: the module and the imported name ("*" for a namespace, "default" for a default import). */
export interface ImportedBinding {
  module: string;
  imported: string;
}

/** How `identifier` was imported, if it is an import binding. */
export function importOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  identifier: TSESTree.Identifier,
): ImportedBinding | undefined {
  const variable = resolve(sourceCode, identifier);
  const def = variable?.defs.find((d) => d.type === TSESLint.Scope.DefinitionType.ImportBinding);
  if (def === undefined) return undefined;
  const specifier = def.node;
  const declaration = def.parent;
  if (
    declaration?.type !== AST_NODE_TYPES.ImportDeclaration &&
    declaration?.type !== AST_NODE_TYPES.TSImportEqualsDeclaration
  )
    return undefined;
  if (declaration.type === AST_NODE_TYPES.TSImportEqualsDeclaration) {
    const reference = declaration.moduleReference;
    return reference.type === AST_NODE_TYPES.TSExternalModuleReference &&
      reference.expression.type === AST_NODE_TYPES.Literal
      ? { module: String(reference.expression.value), imported: "*" }
      : undefined;
  }
  const module = declaration.source.value;
  if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return { module, imported: "*" };
  if (specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) return { module, imported: "default" };
  if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
    return {
      module,
      imported:
        specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value,
    };
  }
  return undefined;
}

/** Whether `identifier` names the global of that name (no local declaration shadows it). */
export function isGlobal(sourceCode: Readonly<TSESLint.SourceCode>, identifier: TSESTree.Identifier): boolean {
  const variable = resolve(sourceCode, identifier);
  return variable === undefined || variable.defs.length === 0;
}

/**
 * The root identifier and property names of a non-computed member chain: `tf.layers.dense` → tf, ["layers", "dense"].
 * Computed members with a string literal count (`tf["layers"]`); anything else ends the chain as undefined.
 */
export function memberPath(node: TSESTree.Node): { root: TSESTree.Identifier; path: string[] } | undefined {
  const path: string[] = [];
  let current: TSESTree.Node = node;
  while (current.type === AST_NODE_TYPES.MemberExpression) {
    const property = current.property;
    if (!current.computed && property.type === AST_NODE_TYPES.Identifier) path.unshift(property.name);
    else if (current.computed && property.type === AST_NODE_TYPES.Literal && typeof property.value === "string")
      path.unshift(property.value);
    else return undefined;
    current = current.object;
  }
  return current.type === AST_NODE_TYPES.Identifier ? { root: current, path } : undefined;
}

/** The property of an object literal with a given (non-computed or string) key. */
export function propertyNamed(object: TSESTree.ObjectExpression, key: string): TSESTree.Property | undefined {
  for (const property of object.properties) {
    if (property.type !== AST_NODE_TYPES.Property || property.computed) continue;
    const name =
      property.key.type === AST_NODE_TYPES.Identifier
        ? property.key.name
        : property.key.type === AST_NODE_TYPES.Literal
          ? String(property.key.value)
          : undefined;
    if (name === key) return property;
  }
  return undefined;
}
