// Chooses the catalog dataset type that can persist a value of a given TypeScript type.
import { persistedDatasetTypes, type PersistedDatasetType } from "@cellforge/contract";
import { Node, type Type } from "ts-morph";

/** Dataset types the runtime's catalog provides for persisted values (the built-ins @cellforge/contract lists). */
export type DatasetType = PersistedDatasetType;

/** A dataset type, or why none fits (for the error message). */
export type DatasetChoice = { type: DatasetType } | { reason: string };

// Built-in classes that JSON.stringify loses or mangles.
const NOT_JSON = new Set([
  "Date",
  "Map",
  "Set",
  "WeakMap",
  "WeakSet",
  "RegExp",
  "Promise",
  "Error",
  "ArrayBuffer",
  "Buffer",
  "Uint8Array",
  "Float32Array",
  "Int32Array",
  "Float64Array",
]);

function declaredIn(type: Type, fragment: string): boolean {
  return (type.getSymbol()?.getDeclarations() ?? []).some((d) => d.getSourceFile().getFilePath().includes(fragment));
}

/** The declared name of a class or interface type, also for `export default class DataFrame`. */
function declaredName(type: Type): string | undefined {
  const symbol = type.getSymbol();
  if (symbol === undefined) return undefined;
  if (symbol.getName() !== "default") return symbol.getName();
  const declaration = symbol.getDeclarations()[0];
  return declaration !== undefined && Node.isClassDeclaration(declaration) ? declaration.getName() : undefined;
}

/** Whether `type` is one of `names` from a package whose path contains `fragment`, or a class deriving from it. */
function isOrExtends(type: Type, names: readonly string[], fragment: string, depth = 0): boolean {
  const name = declaredName(type);
  if (name !== undefined && names.includes(name) && declaredIn(type, fragment)) return true;
  return depth < 8 && type.getBaseTypes().some((base) => isOrExtends(base, names, fragment, depth + 1));
}

function typeName(type: Type): string {
  return type.getText(undefined, 1 /* NoTruncation */).replace(/import\("[^"]*"\)\./g, "");
}

/** Why `type` does not survive JSON.stringify + JSON.parse, or undefined when it does. */
function notJson(type: Type, seen: Set<Type>): string | undefined {
  if (seen.has(type)) return undefined;
  if (type.isAny() || type.isUnknown()) return `is typed \`${type.isAny() ? "any" : "unknown"}\``;
  if (
    type.isString() ||
    type.isNumber() ||
    type.isBoolean() ||
    type.isLiteral() ||
    type.isBooleanLiteral() ||
    type.isNull()
  )
    return undefined;
  if (type.isUndefined()) return "can be `undefined`";
  const members = type.isUnion()
    ? type.getUnionTypes()
    : type.isIntersection()
      ? type.getIntersectionTypes()
      : undefined;
  if (members !== undefined) {
    for (const member of members) {
      const reason = notJson(member, seen);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
  seen.add(type);
  if (type.isArray() || type.isReadonlyArray()) {
    const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
    return element === undefined ? undefined : notJson(element, seen);
  }
  if (type.isTuple()) {
    for (const element of type.getTupleElements()) {
      const reason = notJson(element, seen);
      if (reason !== undefined) return reason;
    }
    return undefined;
  }
  if (type.getCallSignatures().length > 0) return "is a function";
  if (type.getConstructSignatures().length > 0) return "is a class or constructor";
  const symbol = type.getSymbol();
  if (symbol !== undefined && NOT_JSON.has(symbol.getName()))
    return `is a \`${symbol.getName()}\`, which JSON does not keep`;
  if (type.isClass()) return `is an instance of class \`${typeName(type)}\``;
  // A package's class (a TF.js optimizer, a danfojs Series…): its internals are no data to keep.
  // (A class's declarations may include interfaces merged into it: tfjs-core adds the chained ops to Tensor.)
  const declaration = symbol?.getDeclarations().find((d) => Node.isClassDeclaration(d));
  const file = declaration?.getSourceFile().getFilePath() ?? "";
  const fromPackage = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1];
  if (fromPackage !== undefined)
    return `is an instance of \`${typeName(type)}\` from ${fromPackage}, whose fields are no data JSON can keep`;
  if (type.isObject()) {
    for (const property of type.getProperties()) {
      const declaration = property.getValueDeclaration() ?? property.getDeclarations()[0];
      if (declaration === undefined) continue;
      const propertyType = property.getTypeAtLocation(declaration).getNonNullableType();
      if (propertyType.getCallSignatures().length > 0) {
        return `is an instance of \`${typeName(type)}\`, which has methods (\`${property.getName()}\`)`;
      }
      const reason = notJson(propertyType, seen);
      if (reason !== undefined) return `has property \`${property.getName()}\` that ${reason}`;
    }
    const index = type.getStringIndexType() ?? type.getNumberIndexType();
    return index === undefined ? undefined : notJson(index, seen);
  }
  return `is a \`${typeName(type)}\``;
}

/** A class whose instances a `json` dataset keeps: its fields survive JSON, its methods come back with `reviveInstance`. */
export interface RevivableClass {
  name: string;
  /** Where the class is declared, to check that generated modules can reach it. */
  declaration: Node;
}

/**
 * For an instance of a class declared in project code (not a package): the class, when every field it declares
 * survives JSON (methods and accessors live on the prototype, which reviving restores), or why not. Undefined when
 * `type` is not such an instance.
 */
export function revivableClass(type: Type): RevivableClass | { reason: string } | undefined {
  if (!type.isClass()) return undefined;
  const declaration = type
    .getSymbol()
    ?.getDeclarations()
    .find((d) => Node.isClassDeclaration(d));
  if (declaration === undefined || !Node.isClassDeclaration(declaration)) return undefined;
  const name = declaration.getName();
  if (name === undefined || declaration.getSourceFile().getFilePath().includes("/node_modules/")) return undefined;
  for (const property of type.getProperties()) {
    const at = property.getValueDeclaration() ?? property.getDeclarations()[0];
    const onPrototype =
      at === undefined ||
      Node.isMethodDeclaration(at) ||
      Node.isGetAccessorDeclaration(at) ||
      Node.isSetAccessorDeclaration(at);
    if (onPrototype) continue;
    const field = `is an instance of class \`${name}\`, whose field \`${property.getName()}\``;
    if (property.getName().startsWith("#")) return { reason: `${field} is private (\`#\`), which JSON does not keep` };
    // A field JSON drops when it is undefined comes back undefined: as it was.
    const fieldType = property.getTypeAtLocation(at).getNonNullableType();
    if (fieldType.getCallSignatures().length > 0)
      return { reason: `${field} holds a function, which JSON does not keep: make it a method` };
    const reason = notJson(fieldType, new Set());
    if (reason !== undefined) return { reason: `${field} ${reason}` };
  }
  return { name, declaration };
}

/** The dataset type for a value of `type`: a class a type persists (DataFrame → parquet, a tf.js layers model → tfjs-model), string → text, JSON-serialisable → json. */
export function datasetTypeOf(type: Type): DatasetChoice {
  for (const [name, facts] of persistedDatasetTypes()) {
    if ((facts.classes ?? []).some((c) => isOrExtends(type, c.names, c.package))) return { type: name };
  }
  if (
    type.isString() ||
    type.isStringLiteral() ||
    (type.isUnion() && type.getUnionTypes().every((t) => t.isStringLiteral()))
  )
    return { type: "text" };
  const reason = notJson(type, new Set());
  return reason === undefined ? { type: "json" } : { reason };
}

/** What a DuckDB-backed table dataset hands a node besides a DataFrame (the catalog entry's `as`). */
export type TableShape = "arrow" | "rows";

/**
 * The `as` a catalog entry of `datasetType` needs so that the node gets a value of `type`: `arrow` for an
 * apache-arrow Table, `rows` for an array of row objects; undefined for a DataFrame or a type that has no shapes.
 */
export function tableShapeOf(type: Type, datasetType: DatasetType): TableShape | undefined {
  if (persistedDatasetTypes().find(([name]) => name === datasetType)?.[1].shapes !== true) return undefined;
  if (isOrExtends(type, ["Table"], "apache-arrow")) return "arrow";
  return type.isArray() || type.isReadonlyArray() ? "rows" : undefined;
}

/** The persisted types and what each holds, those of a class first as datasetTypeOf tries them: "parquet for a DataFrame or an Apache Arrow table, …". */
export function datasetTypesText(): string {
  const types = persistedDatasetTypes().filter(([, facts]) => facts.savesExtracted !== false);
  const ordered = [
    ...types.filter(([, f]) => f.classes !== undefined),
    ...types.filter(([, f]) => f.classes === undefined),
  ];
  return ordered.map(([name, facts]) => `${name} for ${facts.holds}`).join(", ");
}

/** The type a value has after a round trip through its dataset: a tf.Sequential comes back as the tf.LayersModel that loadLayersModel returns. */
export function persistedType(type: Type, datasetType: DatasetType): Type {
  const loadsAs = persistedDatasetTypes()
    .find(([name]) => name === datasetType)?.[1]
    .classes?.find((c) => c.loadsAs !== undefined)?.loadsAs;
  if (loadsAs === undefined) return type;
  const find = (t: Type, depth: number): Type | undefined =>
    declaredName(t) === loadsAs
      ? t
      : depth > 8
        ? undefined
        : t
            .getBaseTypes()
            .map((b) => find(b, depth + 1))
            .find((b) => b !== undefined);
  return find(type, 0) ?? type;
}
