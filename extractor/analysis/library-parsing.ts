// Parses the declaration files of installed packages without their JSDoc, as `tsc` does (TypeScript's
// "parse for type errors" mode): @types/node and TensorFlow.js are mostly comments, and types never depend on them.
import { ts, type Project } from "ts-morph";

/** What ts-morph's document registry is asked when its program reads a file (ts-morph 28). */
interface DocumentRegistry {
  createOrUpdateSourceFile(
    fileName: string,
    settings: ts.CompilerOptions,
    snapshot: ts.IScriptSnapshot,
    scriptKind: ts.ScriptKind | undefined,
  ): ts.SourceFile;
  removeSourceFile(fileName: string): void;
}

/** A declaration file of an installed package (TypeScript's own lib files included), whose JSDoc nothing reads. */
export function isLibraryDeclaration(fileName: string): boolean {
  return fileName.includes("/node_modules/") && /\.d\.[cm]?ts$/.test(fileName);
}

/**
 * Makes `project` parse library declaration files without JSDoc. The notebook's cells and workspace sources keep
 * theirs (request schemas read `@minimum` and descriptions from them). ts-morph has no option for this: its document
 * registry (an internal of ts-morph 28) is wrapped; when that internal is not there, nothing changes.
 */
export function parseLibrariesWithoutJsDoc(project: Project): void {
  const registry = (project as unknown as { _context?: { compilerFactory?: { documentRegistry?: DocumentRegistry } } })
    ._context?.compilerFactory?.documentRegistry;
  if (registry === undefined || typeof registry.createOrUpdateSourceFile !== "function") return;
  const parse = registry.createOrUpdateSourceFile.bind(registry);
  const remove = registry.removeSourceFile.bind(registry);
  const versions = new Map<string, number>();
  registry.createOrUpdateSourceFile = (fileName, settings, snapshot, scriptKind) => {
    if (!isLibraryDeclaration(fileName)) return parse(fileName, settings, snapshot, scriptKind);
    const version = (versions.get(fileName) ?? -1) + 1;
    versions.set(fileName, version);
    const options: ts.CreateSourceFileOptions = {
      languageVersion: settings.target ?? ts.ScriptTarget.Latest,
      jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors,
    };
    return ts.createLanguageServiceSourceFile(fileName, snapshot, options, String(version), true, scriptKind);
  };
  registry.removeSourceFile = (fileName) => {
    versions.delete(fileName);
    remove(fileName);
  };
}
