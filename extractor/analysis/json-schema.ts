// Converts TypeScript types to JSON schemas with the checker: the request and response contract of the served model.
import { ts, type Node, type Symbol as MorphSymbol, type Type } from "ts-morph";

/** A JSON value, as schemas and parameter defaults hold them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON schema (draft-07, as Fastify's Ajv validates it). */
export type JsonSchema = { [key: string]: JsonValue };

/** A type that has no JSON schema (a function, a class instance, a recursive type). */
export class SchemaError extends Error {
  override readonly name = "SchemaError";
  readonly code = "unrepresentable-type";

  constructor(
    /** Where in the value the type sits: "rows[].stats.hp". */
    readonly path: string,
    readonly reason: string,
  ) {
    super(
      `\`${path}\` ${reason}: use plain data (numbers, strings, booleans, arrays, objects) in the predict function's parameter and return types.`,
    );
  }
}

/** Adds what JSDoc says to a schema: the description, `@integer`, and `@minimum`-style bounds. */
function applyDocs(schema: JsonSchema, symbol: MorphSymbol | undefined): JsonSchema {
  if (symbol === undefined) return schema;
  const declaration = symbol.getDeclarations()[0];
  const checker = declaration?.getProject().getTypeChecker().compilerObject;
  const description =
    checker === undefined ? "" : ts.displayPartsToString(symbol.compilerSymbol.getDocumentationComment(checker)).trim();
  const { type: declaredType, ...rest } = schema;
  let type = declaredType;
  const extra: JsonSchema = {};
  for (const tag of symbol.getJsDocTags()) {
    const name = tag.getName();
    const text = ts.displayPartsToString(tag.getText()).trim();
    if (name === "integer")
      type = Array.isArray(type)
        ? type.map((t) => (t === "number" ? "integer" : t))
        : type === "number"
          ? "integer"
          : type;
    if (
      [
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
      ].includes(name)
    ) {
      const value = Number(text);
      if (text !== "" && Number.isFinite(value)) extra[name] = value;
    }
    if ((name === "pattern" || name === "format") && text !== "") extra[name] = text;
  }
  return {
    ...(type === undefined ? {} : { type }),
    ...(description === "" ? {} : { description }),
    ...rest,
    ...extra,
  };
}

function literalValue(type: Type): JsonValue | undefined {
  if (type.isBooleanLiteral()) return type.getText() === "true";
  if (type.isStringLiteral() || type.isNumberLiteral() || type.isEnumLiteral()) {
    const value = type.getLiteralValue();
    return typeof value === "string" || typeof value === "number" ? value : undefined;
  }
  return undefined;
}

function primitiveName(value: JsonValue): string {
  return value === null ? "null" : typeof value === "number" ? "number" : typeof value;
}

class SchemaBuilder {
  private readonly stack: Type[] = [];

  constructor(private readonly at: Node) {}

  build(type: Type, path: string): JsonSchema {
    if (type.isAny() || type.isUnknown()) return {};
    if (type.isString()) return { type: "string" };
    if (type.isNumber()) return { type: "number" };
    if (type.isBoolean()) return { type: "boolean" };
    if (type.isNull()) return { type: "null" };
    const literal = literalValue(type);
    if (literal !== undefined) return { type: primitiveName(literal), const: literal };
    if (type.isUnion()) return this.union(type.getUnionTypes(), path);
    if (type.isUndefined() || type.isVoid())
      throw new SchemaError(path, "can be `undefined`, which JSON has no value for");
    if (this.stack.includes(type))
      throw new SchemaError(path, "is a recursive type, which the schema generator does not expand");
    this.stack.push(type);
    try {
      return this.structure(type, path);
    } finally {
      this.stack.pop();
    }
  }

  private union(members: Type[], path: string): JsonSchema {
    const present = members.filter((m) => !m.isUndefined() && !m.isVoid());
    const nullable = present.some((m) => m.isNull());
    const rest = present.filter((m) => !m.isNull());
    const literals = rest.map(literalValue);
    let schema: JsonSchema;
    if (rest.length > 0 && literals.every((v) => v !== undefined)) {
      const values = literals.filter((v): v is JsonValue => v !== undefined);
      const kinds = [...new Set(values.map(primitiveName))];
      if (kinds.length === 1 && kinds[0] === "boolean" && values.length === 2) schema = { type: "boolean" };
      else schema = kinds.length === 1 ? { type: kinds[0] ?? "string", enum: values } : { enum: values };
      if (nullable) {
        return {
          ...schema,
          type: [...(typeof schema["type"] === "string" ? [schema["type"]] : []), "null"],
          ...(schema["enum"] !== undefined ? { enum: [...values, null] } : {}),
        };
      }
      return schema;
    }
    // `boolean` shows up as `false | true` among other members.
    const booleans = rest.filter((m) => m.isBooleanLiteral());
    const others = rest.filter((m) => !m.isBooleanLiteral());
    const schemas = others.map((m) => this.build(m, path));
    if (booleans.length === 2) schemas.push({ type: "boolean" });
    else schemas.push(...booleans.map((m) => this.build(m, path)));
    const only = schemas.length === 1 ? schemas[0] : undefined;
    if (only !== undefined && !nullable) return only;
    if (only !== undefined && typeof only["type"] === "string" && only["const"] === undefined)
      return { ...only, type: [only["type"], "null"] };
    return { anyOf: [...schemas, ...(nullable ? [{ type: "null" }] : [])] };
  }

  private structure(type: Type, path: string): JsonSchema {
    if (type.isArray() || type.isReadonlyArray()) {
      const element = type.getArrayElementType() ?? type.getTypeArguments()[0];
      return { type: "array", items: element === undefined ? {} : this.build(element, `${path}[]`) };
    }
    if (type.isTuple()) {
      const items = type.getTupleElements().map((element, index) => this.build(element, `${path}[${index}]`));
      return { type: "array", items, minItems: items.length, maxItems: items.length, additionalItems: false };
    }
    if (type.getCallSignatures().length > 0) throw new SchemaError(path, "is a function, which JSON cannot carry");
    const name = type.getSymbol()?.getName();
    if (name === "Date") return { type: "string", format: "date-time" };
    if (type.isClass() || type.getConstructSignatures().length > 0)
      throw new SchemaError(path, `is a class instance (\`${name ?? type.getText()}\`), which JSON cannot carry`);
    if (!type.isObject() && !type.isIntersection())
      throw new SchemaError(path, `has type \`${type.getText()}\`, which has no JSON schema`);
    const properties: { [key: string]: JsonValue } = {};
    const required: string[] = [];
    for (const property of type.getProperties()) {
      const propertyType = property.getTypeAtLocation(this.at);
      const optional =
        (property.getFlags() & ts.SymbolFlags.Optional) !== 0 ||
        (propertyType.isUnion() && propertyType.getUnionTypes().some((t) => t.isUndefined()));
      const key = property.getName();
      const propertyPath = `${path}.${key}`;
      if (propertyType.getNonNullableType().getCallSignatures().length > 0)
        throw new SchemaError(propertyPath, "is a method or function, which JSON cannot carry");
      properties[key] = applyDocs(
        this.build(optional ? propertyType.getNonNullableType() : propertyType, propertyPath),
        property,
      );
      if (!optional) required.push(key);
    }
    const index = type.getStringIndexType();
    const schema: JsonSchema = { type: "object" };
    if (Object.keys(properties).length > 0 || index === undefined) schema["properties"] = properties;
    if (required.length > 0) schema["required"] = required;
    schema["additionalProperties"] = index === undefined ? false : this.build(index, `${path}[key]`);
    const symbol = type.getAliasSymbol() ?? type.getSymbol();
    return symbol !== undefined && symbol.getName() !== "__type" && symbol.getName() !== "__object"
      ? applyDocs(schema, symbol)
      : schema;
  }
}

/** The JSON schema of values of `type`, reading property types at `at`; throws SchemaError for types JSON cannot carry. */
export function jsonSchemaOf(type: Type, at: Node, path = "value"): JsonSchema {
  return new SchemaBuilder(at).build(type, path);
}

/** The JSON schema of `type` with the description and JSDoc tags of `symbol` (a parameter's or a property's documentation). */
export function documentedSchemaOf(type: Type, at: Node, symbol: MorphSymbol | undefined, path = "value"): JsonSchema {
  return applyDocs(jsonSchemaOf(type, at, path), symbol);
}
