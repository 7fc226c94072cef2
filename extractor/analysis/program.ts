// The in-memory ts-morph project that type-checks a notebook's joined cells; one per run, reused across notebooks.
import { dirname, join } from "node:path";
import { Project, ts, type SourceFile } from "ts-morph";
import { parseLibrariesWithoutJsDoc } from "./library-parsing.ts";

/** The compiler options of the project's tsconfig that matter for reading notebook code. */
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  types: ["node"],
  strict: true,
  noUncheckedIndexedAccess: true,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
};

let shared: Project | undefined;

/** The run's project: created on first use with the real file system, so notebook imports resolve against node_modules. */
export function notebookProject(): Project {
  if (shared === undefined) {
    shared = new Project({
      compilerOptions: COMPILER_OPTIONS,
      skipAddingFilesFromTsConfig: true,
      skipFileDependencyResolution: true,
    });
    parseLibrariesWithoutJsDoc(shared);
  }
  return shared;
}

/**
 * Puts the modules extracted last time (`existing`: name → text, as found in `dir`) into the project before the notebook's
 * program is built, so the program that verifies the new modules at the same paths reuses its structure when their
 * imports did not change (the usual notebook edit) instead of resolving every import again. They are modules, so they
 * declare nothing the notebook's cells could see. Returns what removes them again.
 */
export function holdPreviousModules(project: Project, dir: string, existing: ReadonlyMap<string, string>): () => void {
  const held = [...existing].map(([name, text]) =>
    project.createSourceFile(join(dir, name), text, { overwrite: true }),
  );
  return () => {
    for (const file of held) if (!file.wasForgotten()) project.removeSourceFile(file);
  };
}

/**
 * Adds (or replaces) the joined cells of the notebook at `notebookPath` as a module in `kernelDir`, the folder the
 * kernel runs the notebook in (the project root: cellforge's kernel and `cellforge nb run` start there), so relative
 * imports in cells resolve as they do in the kernel. Nothing is written to disk.
 */
export function addNotebookSource(
  project: Project,
  notebookPath: string,
  text: string,
  kernelDir = dirname(notebookPath),
): SourceFile {
  const path = join(kernelDir, `${notebookPath.split(/[\\/]/).pop() ?? "notebook"}.cells.mts`);
  return project.createSourceFile(path, text, { overwrite: true });
}
