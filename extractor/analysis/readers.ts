// Recognises the reader calls of a `load` cell (`await dfd.readCSV("data/01_raw/pokemon.csv")`) and the dataset each one is.
import { builtinDatasetType, datasetTypeOfParser, datasetTypeOfReader } from "@cellforge/contract";
import { Node } from "ts-morph";
import type { DatasetType } from "./dataset-types.ts";

/** A dataset a `load` cell reads: its catalog type and path, and for a CSV the reader options the catalog keeps. */
export interface ReaderCall {
  type: DatasetType;
  path: string;
  /** A csv dataset's `load_args` (`{ delimiter: ";" }` from `dfd.readCSV(path, { delimiter: ";" })`); empty without options. */
  loadArgs?: Readonly<Record<string, string>>;
}

/** The CSV reader options a catalog csv dataset takes as `load_args`. */
const CSV_LOAD_ARGS = ["delimiter"];

/**
 * The `load_args` of `dfd.readCSV(path, options)`, or why its options cannot be kept: the pipeline reads the file
 * through the catalog, so an option the catalog drops would make it read the file otherwise than the notebook does.
 */
function csvLoadArgs(call: Node): { loadArgs: Readonly<Record<string, string>> } | { reason: string } {
  const [, options, ...more] = Node.isCallExpression(call) ? call.getArguments() : [];
  if (options === undefined) return { loadArgs: {} };
  const callee = Node.isCallExpression(call) ? call.getExpression().getText() : "readCSV";
  const instead = `read the file as text (\`readFile(${pathText(call)}, "utf8")\`) and parse it in a node with those options`;
  if (more.length > 0 || !Node.isObjectLiteralExpression(options))
    return {
      reason: `passes \`${callee}\` options the catalog cannot record (\`${options.getText()}\`): write them as an object of string literals, or ${instead}`,
    };
  const args: Record<string, string> = {};
  for (const property of options.getProperties()) {
    const name = Node.isPropertyAssignment(property) ? property.getName() : undefined;
    const value = Node.isPropertyAssignment(property) ? property.getInitializer() : undefined;
    if (
      name === undefined ||
      !CSV_LOAD_ARGS.includes(name) ||
      value === undefined ||
      !(Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value))
    )
      return {
        reason: `passes \`${callee}\` the option \`${property.getText()}\`, which the catalog cannot record (a csv dataset's \`load_args\` take ${CSV_LOAD_ARGS.map((a) => `\`${a}\``).join(", ")} as a string literal), so the pipeline would read the file otherwise than the notebook: drop it, or ${instead}`,
      };
    args[name] = value.getLiteralValue();
  }
  return { loadArgs: args };
}

/** The readers the catalog can stand in for, for error messages. */
export const KNOWN_READERS =
  '`dfd.readCSV(path)`, `readParquet(path)` (from @cellforge/runtime/sql), `tf.loadLayersModel(path)`, `readFile(path, "utf8")` or `JSON.parse(readFile(path, "utf8"))`';

function unwrap(node: Node): Node {
  let current = node;
  while (
    Node.isAwaitExpression(current) ||
    Node.isParenthesizedExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isNonNullExpression(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

function calleeName(call: Node): string | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const callee = call.getExpression();
  if (Node.isIdentifier(callee)) return callee.getText();
  if (Node.isPropertyAccessExpression(callee)) return callee.getName();
  return undefined;
}

function firstStringArgument(call: Node): string | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  const [first] = call.getArguments();
  return first !== undefined && (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first))
    ? first.getLiteralValue()
    : undefined;
}

/** A folder type read through a URL to a file inside it (tf.js's `file://…/model.json`): the catalog names the folder. */
function datasetPath(type: DatasetType, path: string): string {
  const entryFile = builtinDatasetType(type).entryFile;
  if (entryFile === undefined) return path;
  const withoutScheme = path.replace(/^file:\/\//, "");
  return withoutScheme.endsWith(`/${entryFile}`) ? withoutScheme.slice(0, -entryFile.length - 1) : withoutScheme;
}

/** Why a reader call's path cannot be recorded, with what to write instead when the path is a variable holding a string. */
function notALiteralPath(call: Node, name: string): string {
  const [first] = Node.isCallExpression(call) ? call.getArguments() : [];
  if (first === undefined || !Node.isIdentifier(first))
    return `passes \`${name}\` a path that is not a string literal, so the catalog cannot record it`;
  const initializer = first
    .getSymbol()
    ?.getDeclarations()
    .map((declaration) => (Node.isVariableDeclaration(declaration) ? declaration.getInitializer() : undefined))
    .find(
      (value) => value !== undefined && (Node.isStringLiteral(value) || Node.isNoSubstitutionTemplateLiteral(value)),
    );
  const example = initializer === undefined ? '"data/01_raw/…"' : initializer.getText();
  return (
    `passes \`${name}\` the variable \`${first.getText()}\` instead of the path itself, so the catalog cannot record it: ` +
    `write \`${Node.isCallExpression(call) ? call.getExpression().getText() : name}(${example})\` (to read another file in a run, point the dataset elsewhere in conf/local/catalog.yml)`
  );
}

/** The path argument as written, or a placeholder. */
function pathText(call: Node): string {
  const [first] = Node.isCallExpression(call) ? call.getArguments() : [];
  return first === undefined ? '"data/01_raw/…"' : first.getText();
}

/** Why a call to a reader the catalog does not know is refused, with what to write instead for the usual habits. */
function unknownReader(call: Node, name: string): string {
  const receiver = Node.isCallExpression(call) ? call.getExpression() : undefined;
  // `readFileSync(path).toString()`: a Buffer made text afterwards.
  if (name === "toString" && Node.isPropertyAccessExpression(receiver)) {
    const inner = unwrap(receiver.getExpression());
    const innerName = calleeName(inner);
    if (innerName === "readFile" || innerName === "readFileSync") {
      const callee = Node.isCallExpression(inner) ? inner.getExpression().getText() : innerName;
      return (
        `reads \`${callee}(${pathText(inner)})\` as a Buffer and calls \`toString()\` on it, which the catalog cannot record: ` +
        `write \`${innerName === "readFile" ? "await " : ""}${callee}(${pathText(inner)}, "utf8")\` (a text dataset) instead`
      );
    }
  }
  // danfojs's other readers: the JSON habit has an equivalent the catalog records.
  if (name === "readJSON" || name === "readExcel")
    return (
      `calls \`${name}\`, which the catalog cannot stand in for: ` +
      (name === "readJSON"
        ? `write \`JSON.parse(await readFile(${pathText(call)}, "utf8"))\` (a json dataset) and build the DataFrame in a node (\`new dfd.DataFrame(rows)\`)`
        : "export the sheet to CSV and read it with `dfd.readCSV(path)`")
    );
  return `calls \`${name}\`, which is not a reader the catalog knows`;
}

/** The dataset a reader-call initialiser reads, or a reason why it is not one. */
export function readerCall(initializer: Node): ReaderCall | { reason: string } {
  let call = unwrap(initializer);
  let parser: string | undefined;
  if (Node.isCallExpression(call) && call.getExpression().getText() === "JSON.parse") {
    parser = "JSON.parse";
    const [inner] = call.getArguments();
    if (inner === undefined) return { reason: "calls `JSON.parse` without an argument" };
    call = unwrap(inner);
  }
  const name = calleeName(call);
  const type = name === undefined ? undefined : datasetTypeOfReader(name);
  if (type === undefined)
    return {
      reason: name === undefined ? "is not initialised from a reader call" : unknownReader(call, name),
    };
  const path = firstStringArgument(call);
  if (path === undefined) return { reason: notALiteralPath(call, name ?? "the reader") };
  if (parser === undefined && type === "csv") {
    const options = csvLoadArgs(call);
    return "reason" in options ? options : { type, path: datasetPath(type, path), loadArgs: options.loadArgs };
  }
  if (parser === undefined) return { type, path: datasetPath(type, path) };
  const parsed = datasetTypeOfParser(parser, type);
  if (parsed === undefined) return { reason: "parses JSON from something other than `readFile`" };
  return { type: parsed, path: datasetPath(parsed, path) };
}
