// Extracts one notebook: reads it, analyzes it (ts-morph is loaded here, lazily), generates its modules and writes them with the catalog.
import { existsSync } from "node:fs";
import { readdir, readFile, unlink } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { byPosition, ExtractionFailed, type ExtractionProblem } from "../analysis/problems.ts";
import type { CatalogEntry } from "../codegen/catalog.ts";
import { mergeCatalog } from "../codegen/catalog.ts";
import type { GeneratedFile } from "../codegen/generate.ts";
import { extractorVersion, notebookContentHash, parseHeader, type GeneratedHeader } from "../codegen/header.ts";
import {
  notebookDirectives,
  readNotebook,
  writeFileAtomic,
  type Notebook,
  type NotebookDirectives,
} from "@cellforge/contract";
import { notebookPaths, type NotebookPaths, type PathOptions } from "./paths.ts";

/** Options of one extraction. */
export interface ExtractOptions extends PathOptions {
  /** Overrides the extractor's version hash in headers (tests pin it so goldens survive extractor edits). */
  extractorVersion?: string;
  /** Type-check the generated modules before returning them (default true; `--check` skips it: it only compares). */
  verify?: boolean;
}

/** A notebook read and parsed, before any ts-morph work. */
export interface ReadNotebook {
  paths: NotebookPaths;
  notebook: Notebook;
  directives: NotebookDirectives;
  header: GeneratedHeader;
  /** The generated files already in the output folder, by name, as they were read. */
  existing: ReadonlyMap<string, string>;
}

/** What extraction would write for a notebook. */
export interface PlannedExtraction extends ReadNotebook {
  files: GeneratedFile[];
  catalog: CatalogEntry[];
  warnings: readonly ExtractionProblem[];
}

/** What writing an extraction changed. */
export interface WrittenExtraction {
  written: string[];
  removed: string[];
  catalogAdded: string[];
}

/** Raised when a notebook's modules would replace those another notebook of the project generated. */
export class OutputTakenError extends Error {
  readonly code = "OUTPUT_TAKEN";
  constructor(message: string) {
    super(message);
    this.name = "OutputTakenError";
  }
}

/**
 * Refuses to extract into a folder whose modules another notebook generated, while that notebook is still there:
 * two notebooks of one name in different folders (notebooks/train.ipynb, notebooks/old/train.ipynb) would otherwise
 * overwrite each other's pipeline in turn. A notebook that moved takes its modules along.
 */
function refuseTakenOutput(paths: NotebookPaths, existing: ReadonlyMap<string, string>): void {
  for (const text of existing.values()) {
    const owner = parseHeader(text)?.source;
    if (owner === undefined || owner === paths.source || !existsSync(join(paths.root, owner))) continue;
    const out = relative(paths.root, paths.outDir).replaceAll("\\", "/") || ".";
    throw new OutputTakenError(
      `${paths.source} would write ${out}/, which holds the modules of ${owner}: a pipeline is named after its notebook's file, so rename one of the two notebooks (or extract this one elsewhere with --out).`,
    );
  }
}

/** Reads a notebook and its directives and computes the header its modules carry; cheap (no ts-morph). */
export async function readForExtraction(notebookPath: string, options: ExtractOptions = {}): Promise<ReadNotebook> {
  const paths = notebookPaths(notebookPath, options);
  const existing = await existingGeneratedFiles(paths.outDir);
  refuseTakenOutput(paths, existing);
  const notebook = await readNotebook(paths.absolute);
  const header: GeneratedHeader = {
    source: paths.source,
    notebook: notebookContentHash(notebook),
    extractor: options.extractorVersion ?? extractorVersion(),
  };
  return {
    paths,
    notebook: { ...notebook, path: paths.source },
    directives: notebookDirectives(notebook),
    header,
    existing,
  };
}

/**
 * Analyzes and generates a notebook's modules in memory; throws ExtractionFailed with all of its errors.
 * Takes a path, or a notebook readForExtraction already read (its paths and header then stand; only `verify` of the options applies).
 */
export async function planExtraction(
  notebook: string | ReadNotebook,
  options: ExtractOptions = {},
): Promise<PlannedExtraction> {
  const read = typeof notebook === "string" ? await readForExtraction(notebook, options) : notebook;
  const [{ analyzeNotebook }, { verifyGenerated }, { generateModules }, { holdPreviousModules, notebookProject }] =
    await Promise.all([
      import("../analysis/analyze.ts"),
      import("../analysis/verify.ts"),
      import("../codegen/generate.ts"),
      import("../analysis/program.ts"),
    ]);
  const { paths, directives, header } = read;
  // Checked where the files would go when that is inside the project (so package imports resolve), else next to the notebook.
  const inside = !relative(paths.root, paths.outDir).startsWith("..");
  const checkDir = inside ? paths.outDir : join(dirname(paths.absolute), `.${paths.name}.extract-check`);
  const release =
    options.verify === false
      ? () => {}
      : holdPreviousModules(notebookProject(), checkDir, await existingGeneratedFiles(checkDir));
  try {
    const model = analyzeNotebook({
      notebook: read.notebook,
      absolutePath: paths.absolute,
      source: paths.source,
      name: paths.name,
      directives,
      projectRoot: paths.root,
    });
    const { files, catalog } = generateModules(model, paths.outDir, header);
    const typeErrors = options.verify === false ? [] : verifyGenerated(model, read.notebook, files, checkDir);
    if (typeErrors.length > 0)
      throw new ExtractionFailed(paths.source, [...model.warnings, ...typeErrors].sort(byPosition));
    return { ...read, files, catalog, warnings: model.warnings };
  } finally {
    release();
  }
}

/** The generated files (those with an extractor header) already in `dir`, by name. */
export async function existingGeneratedFiles(dir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return found;
  }
  for (const name of names.filter((n) => n.endsWith(".ts")).sort()) {
    const text = await readFile(join(dir, name), "utf8");
    if (parseHeader(text) !== undefined) found.set(name, text);
  }
  return found;
}

/** Writes the planned files that changed, removes generated files no longer produced, and merges the catalog. */
export async function writeExtraction(plan: PlannedExtraction): Promise<WrittenExtraction> {
  const existing = await existingGeneratedFiles(plan.paths.outDir);
  const written: string[] = [];
  for (const file of plan.files) {
    if (existing.get(file.name) === file.text) continue;
    await writeFileAtomic(join(plan.paths.outDir, file.name), file.text);
    written.push(file.name);
  }
  const removed = [...existing.keys()].filter((name) => !plan.files.some((f) => f.name === name));
  for (const name of removed) await unlink(join(plan.paths.outDir, name));
  const catalogAdded = await mergeCatalog(plan.paths.catalogPath, plan.catalog);
  return { written, removed, catalogAdded };
}
