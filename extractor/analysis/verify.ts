// Type-checks the generated modules against the notebook's own program before anything is written, and maps errors back to cells.
import { join } from "node:path";
import { ts } from "ts-morph";
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

/** The cell a line of a generated file comes from: the node whose function holds it, the predict or export cell, else the first extracted cell. */
function cellOf(model: PipelineModel, name: string, text: string, line: number): number {
  const fallback = model.nodes[0]?.cell ?? model.predict?.cell ?? 1;
  if (name === "predict.ts") return model.predict?.cell ?? fallback;
  if (name !== "nodes.ts") return fallback;
  const file = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true);
  for (const statement of file.statements) {
    if (!ts.isFunctionDeclaration(statement) || statement.name === undefined) continue;
    const start = file.getLineAndCharacterOfPosition(statement.getStart(file)).line + 1;
    const end = file.getLineAndCharacterOfPosition(statement.getEnd()).line + 1;
    const node = model.nodes.find((n) => n.functionName === statement.name?.text);
    if (node !== undefined && line >= start && line <= end) return node.cell;
  }
  return fallback;
}

/**
 * The type errors of the generated modules, as they would sit in `checkDir`, checked with the notebook's compiler options.
 * The checker has already loaded the notebook's imports, so this costs a fraction of a cold check.
 */
export function verifyGenerated(model: PipelineModel, files: readonly FileToVerify[], checkDir: string): ExtractionProblem[] {
  const project = notebookProject();
  const added = files.map((file) => project.createSourceFile(join(checkDir, file.name), file.text, { overwrite: true }));
  const problems: ExtractionProblem[] = [];
  try {
    for (const [index, sourceFile] of added.entries()) {
      const file = files[index];
      if (file === undefined) continue;
      for (const diagnostic of sourceFile.getPreEmitDiagnostics()) {
        if (IGNORED.has(diagnostic.getCode()) || diagnostic.getSourceFile() !== sourceFile) continue;
        const line = diagnostic.getLineNumber() ?? 1;
        const lineText = (file.text.split("\n")[line - 1] ?? "").trim();
        const message = ts.flattenDiagnosticMessageText(diagnostic.compilerObject.messageText, " ").replace(/\.$/, "");
        const hint = model.parameters.some((p) => new RegExp(`\\b${p.name}\\b`).test(lineText))
          ? " Parameters are widened to their base type (`string`, `number`) so runs can override them; if the code needs a narrower type, annotate the parameter with it (e.g. `const activation: \"relu\" | \"tanh\" = \"relu\"`)."
          : " Fix the cell so it type-checks under the project's strict tsconfig.";
        problems.push(
          new ExtractionProblem(
            "generated-type-error",
            "error",
            model.source,
            cellOf(model, file.name, file.text, line),
            undefined,
            `the generated ${file.name} does not type-check at line ${line} (\`${lineText}\`): ${message}.${hint}`,
          ),
        );
      }
    }
  } finally {
    for (const sourceFile of added) project.removeSourceFile(sourceFile);
  }
  return problems;
}
