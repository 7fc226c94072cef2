// Type-checks the generated modules against the notebook's own program before anything is written, and maps each
// error back to the notebook cell and line its code was lifted from: users fix cells, never generated files.
import { dirname, join } from "node:path";
import { ts } from "ts-morph";
import type { CellRef, Notebook } from "@cellforge/contract";
import type { PipelineModel } from "./model.ts";
import { ExtractionProblem } from "./problems.ts";
import { notebookProject } from "./program.ts";

/** A generated file to verify, by name in its output folder. */
export interface FileToVerify {
  name: string;
  text: string;
}

// "Cannot find module": output folders outside the project (tests' temp dirs) cannot resolve @cellforge/runtime; that is not the notebook's fault.
const IGNORED = new Set([2307]);

// "Object is possibly 'undefined'" and its kin: what `noUncheckedIndexedAccess` reports on `rows[0]`, `r[j]`.
const POSSIBLY_UNDEFINED = new Set([2532, 18048, 18049, 2722]);

/** Where a generated line comes from: the cell, and the line in it when the line is the cell's own code. */
interface Origin {
  cell: number;
  line?: number;
}

const squash = (text: string): string => text.replace(/\s+/g, "");

/** The cells a line of `name` may come from, most likely first. */
function candidateCells(model: PipelineModel, name: string, text: string, line: number): number[] {
  const fallback = [...model.nodes.map((n) => n.cell), ...(model.predict === undefined ? [] : [model.predict.cell])];
  if (name === "shared.ts") return [...(model.shared?.cells ?? [])];
  if (name === "predict.ts")
    return [
      ...(model.predict === undefined ? [] : [model.predict.cell]),
      ...model.predictTypes.map((t) => t.cell),
      ...(model.shared?.cells ?? []),
    ];
  if (name !== "nodes.ts") return fallback;
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
  for (const statement of file.statements) {
    if (!ts.isFunctionDeclaration(statement) || statement.name === undefined) continue;
    const start = file.getLineAndCharacterOfPosition(statement.getStart(file)).line + 1;
    const end = file.getLineAndCharacterOfPosition(statement.getEnd()).line + 1;
    const node = model.nodes.find((n) => n.functionName === statement.name?.text);
    if (node !== undefined && line >= start && line <= end) return [node.cell];
  }
  return [...model.nodeTypes.map((t) => t.cell), ...fallback];
}

/** The cell and line a generated line was lifted from: the first candidate cell holding the same code (spacing aside). */
function originOf(notebook: Notebook, candidates: readonly number[], lineText: string): Origin | undefined {
  const wanted = squash(lineText);
  for (const number of candidates) {
    const cell = notebook.cells.find((c) => c.number === number);
    if (cell === undefined) continue;
    const index = wanted === "" ? -1 : cell.source.split(/\r?\n/).findIndex((line) => squash(line) === wanted);
    if (index >= 0) return { cell: number, line: index + 1 };
  }
  const first = candidates[0];
  return first === undefined ? undefined : { cell: first };
}

function refOf(notebook: Notebook, number: number): CellRef {
  const cell = notebook.cells.find((c) => c.number === number);
  return cell === undefined
    ? { cell: number }
    : {
        cell: number,
        ...(cell.codeNumber === undefined ? {} : { code: cell.codeNumber }),
        executionCount: cell.executionCount ?? null,
      };
}

/** The one-line fix for an error, when there is a usual one. */
function hintFor(
  model: PipelineModel,
  name: string,
  code: number,
  lineText: string,
  cell: number,
  message: string,
): string {
  const node = name === "nodes.ts" ? model.nodes.find((n) => n.cell === cell) : undefined;
  const subject = /^'([\w$]+)' is possibly/.exec(message)?.[1];
  const input = node?.inputs.find((i) => i.name === subject && /\b(undefined|null)\b/.test(i.type));
  if (POSSIBLY_UNDEFINED.has(code) && node !== undefined && input !== undefined) {
    // `let best: number | undefined;` in one cell, assigned in another: the notebook narrows it, a parameter is not.
    return ` \`${input.name}\` comes into node \`${node.name}\` with its declared type, \`${input.type}\`: the notebook narrows it after a cell assigns it, a node's input is not narrowed. Declare it without \`undefined\` where it gets its value, or write \`${input.name}!\` here.`;
  }
  if (POSSIBLY_UNDEFINED.has(code)) {
    return " The project's tsconfig has `noUncheckedIndexedAccess`, so an index may be out of range: add a `!` where you know the value is there (`rows[0]!`), a default (`rows[0] ?? fallback`) or a guard (`if (row === undefined) continue;`).";
  }
  const parameter = node?.inputs.find(
    (input) => input.dataset === `params:${input.name}` && new RegExp(`\\b${input.name}\\b`).test(lineText),
  );
  if (parameter !== undefined) {
    return ` Parameters are widened to their base type (\`string\`, \`number\`) so runs can override them; if the code needs a narrower type, annotate the parameter with it (e.g. \`const ${parameter.name}: "relu" | "tanh" = "relu"\`).`;
  }
  return " Extraction checks with the project's strict tsconfig; fix the cell so it type-checks there.";
}

/**
 * A program in which the generated modules sit at `checkDir`, built on the notebook's program: every other file is
 * the notebook program's own (parsed and bound once), and when that program already held modules at those paths with
 * the same imports (the ones extracted last time, see `holdGeneratedModules`), TypeScript reuses its whole structure
 * and only the new checker's work is left.
 */
function programWithGenerated(base: ts.Program, texts: ReadonlyMap<string, string>): ts.Program {
  const options = base.getCompilerOptions();
  const host = ts.createCompilerHost(options, true);
  // ts-morph serves TypeScript's lib files from a folder of its own: look for them where the notebook's program found them.
  const lib = base.getSourceFiles().find((file) => base.isSourceFileDefaultLibrary(file));
  if (lib !== undefined) host.getDefaultLibLocation = () => dirname(lib.fileName);
  // The generated modules exist only in memory (and the notebook's program may hold other such files): resolve imports to them.
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) =>
    texts.has(fileName) || base.getSourceFile(fileName) !== undefined || fileExists(fileName);
  const directoryExists = host.directoryExists?.bind(host);
  host.directoryExists = (directory) =>
    [...texts.keys()].some((name) => name.startsWith(`${directory}/`)) || (directoryExists?.(directory) ?? true);
  // Files are parsed as ts-morph parses the notebook program's (by target only), so unchanged structure is reused whole.
  const target = options.target ?? ts.ScriptTarget.Latest;
  host.getSourceFile = (fileName) => {
    // A package installed twice at one version (TensorFlow.js packages nested under danfojs-node) is one file to
    // the checker: `base` holds a redirect for the second copy, which a host must not hand back (TypeScript asserts
    // so when it reuses `base`), so it gets the copy itself.
    const found = base.getSourceFile(fileName);
    const redirect = (found as { redirectInfo?: { unredirected: ts.SourceFile } } | undefined)?.redirectInfo;
    const known = redirect?.unredirected ?? found;
    const text = texts.get(fileName) ?? (known === undefined ? host.readFile(fileName) : undefined);
    return text === undefined ? known : ts.createSourceFile(fileName, text, target, true);
  };
  const roots = base.getRootFileNames();
  const extra = [...texts.keys()].filter((name) => !roots.includes(name));
  return ts.createProgram({ rootNames: [...roots, ...extra], options, host, oldProgram: base });
}

/**
 * The type errors of the generated modules, as they would sit in `checkDir`, checked with the notebook's compiler
 * options and reported at the cell and line of `notebook` the code comes from, each once.
 * The notebook's program has already parsed and bound the notebook's imports, so this costs a fraction of a cold check.
 */
export function verifyGenerated(
  model: PipelineModel,
  notebook: Notebook,
  files: readonly FileToVerify[],
  checkDir: string,
): ExtractionProblem[] {
  const texts = new Map(files.map((file) => [join(checkDir, file.name), file.text] as const));
  const program = programWithGenerated(notebookProject().getProgram().compilerObject, texts);
  const problems: ExtractionProblem[] = [];
  for (const file of files) {
    const sourceFile = program.getSourceFile(join(checkDir, file.name));
    if (sourceFile === undefined) continue;
    for (const diagnostic of ts.getPreEmitDiagnostics(program, sourceFile)) {
      if (IGNORED.has(diagnostic.code) || diagnostic.file !== sourceFile) continue;
      const line = sourceFile.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1;
      const lineText = (file.text.split("\n")[line - 1] ?? "").trim();
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ").replace(/\.$/, "");
      const origin = originOf(notebook, candidateCells(model, file.name, file.text, line), lineText) ?? { cell: 1 };
      const hint = hintFor(model, file.name, diagnostic.code, lineText, origin.cell, message);
      const detail =
        origin.line === undefined
          ? `the code extracted from this cell does not type-check (\`${lineText}\`): ${message}.${hint}`
          : `${message} (\`${lineText}\`).${hint}`;
      if (problems.some((p) => p.cell === origin.cell && p.line === origin.line && p.detail === detail)) continue;
      problems.push(
        new ExtractionProblem(
          "generated-type-error",
          "error",
          model.source,
          refOf(notebook, origin.cell),
          origin.line,
          detail,
        ),
      );
    }
  }
  return problems;
}
