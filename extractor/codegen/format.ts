// Formats generated modules with the TypeScript formatter, so user code lifted from cells is indented consistently.
import { Project, ts } from "ts-morph";

let project: Project | undefined;
let count = 0;

const SETTINGS: ts.FormatCodeSettings = {
  indentSize: 2,
  tabSize: 2,
  convertTabsToSpaces: true,
  newLineCharacter: "\n",
  // Cell code keeps its own semicolon style; generated code always has them.
  semicolons: ts.SemicolonPreference.Ignore,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
  insertSpaceAfterOpeningAndBeforeClosingNonemptyBrackets: false,
  insertSpaceAfterOpeningAndBeforeClosingTemplateStringBraces: false,
  insertSpaceAfterFunctionKeywordForAnonymousFunctions: true,
  insertSpaceBeforeAndAfterBinaryOperators: true,
  insertSpaceAfterCommaDelimiter: true,
  insertSpaceAfterKeywordsInControlFlowStatements: true,
  placeOpenBraceOnNewLineForFunctions: false,
  placeOpenBraceOnNewLineForControlBlocks: false,
};

/** Formats module source text; the result ends with exactly one newline. */
export function formatModule(text: string): string {
  project ??= new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2022 } });
  // A fresh path per module: the language service caches snapshots by path, and stale ones corrupt the edits.
  const file = project.createSourceFile(`/generated-${++count}.ts`, text);
  // The formatted text only: `file.formatText` would also parse it again and map every wrapped node onto the new tree.
  const formatted = project
    .getLanguageService()
    .getFormattedDocumentText(file.getFilePath(), SETTINGS)
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n");
  project.removeSourceFile(file);
  return `${formatted.trimEnd()}\n`;
}
