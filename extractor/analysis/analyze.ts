// Analyzes one notebook end to end: joins its cells, binds the dataflow, and builds the pipeline model code generation writes out.
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { camelCase, type Notebook, type NotebookDirectives } from "@cellforge/contract";
import { analyzeCells, type CellInfo } from "./cells.ts";
import { AnalysisContext } from "./context.ts";
import { bindDataflow } from "./dataflow.ts";
import { analyzeLoads } from "./loads.ts";
import type {
  DatasetModel,
  HoistedDeclaration,
  ImportModel,
  NodeModel,
  ParameterModel,
  PipelineModel,
} from "./model.ts";
import { analyzeNode } from "./nodes.ts";
import { analyzeParameters } from "./parameters.ts";
import { analyzePredict, type PredictAnalysis } from "./predict.ts";
import { byPosition, ExtractionFailed, ExtractionProblem } from "./problems.ts";
import { addNotebookSource, notebookProject } from "./program.ts";
import { DeclarationIndex } from "./resolve.ts";
import { analyzeShared } from "./shared.ts";
import { promoteHelperCells } from "./helpers.ts";
import { syntaxErrors } from "./syntax.ts";
import { TypePrinter } from "./type-printer.ts";
import { joinCells } from "./virtual-file.ts";
import type { SourceFile } from "ts-morph";

/** A notebook to analyze and how to name it. */
export interface AnalyzeInput {
  notebook: Notebook;
  /** The notebook's absolute path. */
  absolutePath: string;
  /** The notebook's path as shown to users and written into generated code ("notebooks/train.ipynb"). */
  source: string;
  /** The pipeline name ("train"). */
  name: string;
  directives: NotebookDirectives;
  /** The project root: `load` paths and cells' relative imports resolve from it, as in the kernel and the runner. */
  projectRoot: string;
}

// Words a generated function cannot be named.
const RESERVED = new Set([
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "await",
  "let",
  "static",
  "yield",
  "implements",
  "interface",
  "package",
  "private",
  "protected",
  "public",
]);

/**
 * Reports a relative import of a cell that names no file from the project root, where the kernel runs the notebook
 * (`../src/features.ts` written from the notebook's folder, as a plain Jupyter kernel would resolve it).
 */
function reportUnresolvedImports(ctx: AnalysisContext, notebookPath: string): void {
  for (const declaration of ctx.file.getImportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue();
    if (!specifier.startsWith(".") || declaration.getModuleSpecifierSourceFile() !== undefined) continue;
    const cell = ctx.cells.find(
      (c) => declaration.getStart() >= c.segment.start && declaration.getStart() < c.segment.end,
    );
    if (cell === undefined) continue;
    const fromNotebook = relative(ctx.projectRoot, resolve(dirname(notebookPath), specifier)).replaceAll("\\", "/");
    const hint = existsSync(resolve(dirname(notebookPath), specifier))
      ? ` It is a file relative to the notebook's folder: write \`./${fromNotebook}\`.`
      : " Write the path from the project root (`./src/features.ts`).";
    ctx.error(
      "import-unresolved",
      cell,
      declaration,
      `${ctx.describe(cell)} imports \`${specifier}\`, which is no module relative to the project root, the folder the kernel runs the notebook in (cellforge's kernel and \`cellforge nb run\` start there, so \`data/…\` paths work), as the pipeline does.${hint}`,
    );
  }
}

function collectImports(file: SourceFile, kernelDir: string): ImportModel[] {
  const imports: ImportModel[] = [];
  for (const declaration of file.getImportDeclarations()) {
    const specifier = declaration.getModuleSpecifierValue();
    const typeOnly = declaration.isTypeOnly();
    const defaultName = declaration.getDefaultImport()?.getText();
    const namespace = declaration.getNamespaceImport()?.getText();
    const named = declaration.getNamedImports().map((s) => {
      const alias = s.getAliasNode()?.getText();
      return alias === undefined
        ? { name: s.getName(), typeOnly: typeOnly || s.isTypeOnly() }
        : { name: s.getName(), alias, typeOnly: typeOnly || s.isTypeOnly() };
    });
    const model: ImportModel = {
      specifier,
      typeOnly,
      named,
      ...(defaultName === undefined ? {} : { defaultName }),
      ...(namespace === undefined ? {} : { namespace }),
      ...(specifier.startsWith(".") ? { absolutePath: resolve(kernelDir, specifier) } : {}),
    };
    const same = imports.find(
      (i) => i.specifier === model.specifier && i.namespace === model.namespace && i.defaultName === model.defaultName,
    );
    if (same === undefined) {
      imports.push(model);
      continue;
    }
    const merged = [...same.named];
    for (const n of model.named) if (!merged.some((m) => (m.alias ?? m.name) === (n.alias ?? n.name))) merged.push(n);
    imports[imports.indexOf(same)] = { ...same, typeOnly: same.typeOnly && model.typeOnly, named: merged };
  }
  return imports;
}

function importedNames(imports: readonly ImportModel[]): string[] {
  return imports
    .flatMap((i) => [i.defaultName, i.namespace, ...i.named.map((n) => n.alias ?? n.name)])
    .filter((n): n is string => n !== undefined);
}

/** Analyzes a notebook into its pipeline model; throws ExtractionFailed with every error (and warning) sorted by cell. */
export function analyzeNotebook(input: AnalyzeInput): PipelineModel {
  const { notebook, directives, source } = input;
  const virtual = joinCells(notebook.cells);
  const project = notebookProject();
  const file = addNotebookSource(project, input.absolutePath, virtual.text, input.projectRoot);
  const syntax = syntaxErrors(project, file, virtual, source);
  const withDirectiveErrors = new Set(directives.errors.map((e) => e.location.cell));
  const directiveProblems = directives.errors.map(
    (error) => new ExtractionProblem("directive", "error", source, error.location, error.location.line, error.detail),
  );
  // Code that does not parse cannot be analyzed: later errors would only follow from it.
  if (syntax.length > 0) throw new ExtractionFailed(source, [...directiveProblems, ...syntax].sort(byPosition));
  const tagged = analyzeCells(file, virtual, directives.cells);
  const helpers = promoteHelperCells(tagged, virtual, new DeclarationIndex(tagged), withDirectiveErrors);
  const cells = helpers.cells;
  const ctx = new AnalysisContext(
    source,
    file,
    virtual,
    cells,
    new DeclarationIndex(cells),
    new TypePrinter(project, file),
    input.projectRoot,
  );
  ctx.problems.push(...directiveProblems);
  for (const cell of withDirectiveErrors) ctx.reported.add(cell);
  for (const { cell, line, detail } of helpers.blocked) {
    ctx.problems.push(new ExtractionProblem("helper-not-shareable", "error", source, cell.segment.ref, line, detail));
    ctx.reported.add(cell.segment.cell);
  }
  const byRole = (role: string): CellInfo[] => cells.filter((c) => c.directives.role === role);

  const flow = bindDataflow(ctx);
  const imports = collectImports(file, input.projectRoot);
  reportUnresolvedImports(ctx, input.absolutePath);
  const shared = analyzeShared(ctx, byRole("export"));
  const parameters: ParameterModel[] = byRole("parameters").flatMap((cell) => analyzeParameters(ctx, cell));
  const datasets: DatasetModel[] = byRole("load").flatMap((cell) => analyzeLoads(ctx, cell));

  const taken = new Set([...importedNames(imports), ...(shared?.names.map((n) => n.name) ?? [])]);
  const nodes: NodeModel[] = [];
  const nodeTypes: HoistedDeclaration[] = [];
  for (const cell of byRole("node")) {
    const name = cell.directives.nodeName;
    if (name === undefined) continue; // reported as a directive error
    let functionName = camelCase(name);
    if (taken.has(functionName) || RESERVED.has(functionName)) functionName = `${functionName}Node`;
    taken.add(functionName);
    const directiveTags = new Set(
      cell.directives.directives.flatMap((d) => (d.source.form === "tag" ? [d.source.tag] : [])),
    );
    const tags =
      notebook.cells.find((c) => c.number === cell.segment.cell)?.tags.filter((t) => !directiveTags.has(t)) ?? [];
    const { heading } = cell.directives;
    const result = analyzeNode(
      ctx,
      cell,
      flow,
      heading === undefined ? { name, functionName, tags } : { name, functionName, tags, heading },
    );
    nodes.push(result.node);
    nodeTypes.push(...result.types);
    datasets.push(...result.saves);
  }

  const [predictCell] = byRole("predict");
  const predict: PredictAnalysis | undefined =
    predictCell === undefined ? undefined : analyzePredict(ctx, predictCell, flow);
  const artifacts = new Set(predict?.predict.artifacts.map((a) => a.name));
  const marked = datasets.map((d) => (artifacts.has(d.name) ? { ...d, artifact: true } : d));

  const problems = [...ctx.problems].sort(byPosition);
  if (problems.some((p) => p.severity === "error")) throw new ExtractionFailed(source, problems);
  return {
    name: input.name,
    source,
    imports,
    ...(shared === undefined ? {} : { shared }),
    nodeTypes,
    predictTypes: predict?.types ?? [],
    nodes,
    parameters,
    datasets: marked,
    ...(predict === undefined ? {} : { predict: predict.predict }),
    warnings: problems,
  };
}
