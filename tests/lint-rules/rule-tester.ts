// RuleTester under vitest, and the notebook views rule tests lint: built by the processor's own projection, so a
// test sees exactly what ESLint sees for a notebook.
import { fileURLToPath } from "node:url";
import type { CellType, NotebookCell } from "@cellforge/contract";
import { RuleTester, type Rule } from "eslint";
import tseslint from "typescript-eslint";
import { describe, it } from "vitest";
import { projectNotebook } from "../../lint-rules/processor/projection.ts";

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** The repository root: typed tests lint virtual files under it, typed with its tsconfig. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A virtual notebook view path, typed in the default project like the real notebooks (see eslint.config.js). */
export const NOTEBOOK_FILENAME = `${ROOT}notebooks/rule-tester.ipynb/0_notebook.ts`;

/** RuleTester with typescript-eslint's parser, without type information. */
export const ruleTester = new RuleTester({ languageOptions: { parser: tseslint.parser } });

/** RuleTester with type information; lint `code` as NOTEBOOK_FILENAME (or another `notebooks/*.ipynb/*.ts` path). */
export const typedRuleTester = new RuleTester({
  languageOptions: {
    parser: tseslint.parser,
    parserOptions: { projectService: { allowDefaultProject: ["notebooks/*.ipynb/*.ts"] }, tsconfigRootDir: ROOT },
  },
});

/** typescript-eslint rule modules as ESLint's RuleTester takes them. */
export function asEslintRule(rule: unknown): Rule.RuleModule {
  return rule as Rule.RuleModule;
}

/** One cell of a test notebook: a string is an untagged code cell. */
export type TestCell =
  string | { type?: CellType; source: string; tags?: string[]; outputs?: number; executionCount?: number | null };

/** The processor's view of a notebook made of `cells`. */
export function notebook(...cells: TestCell[]): string {
  const parsed: NotebookCell[] = cells.map((cell, index) =>
    typeof cell === "string"
      ? { number: index + 1, type: "code", source: cell, tags: [] }
      : { number: index + 1, type: cell.type ?? "code", source: cell.source, tags: cell.tags ?? [] },
  );
  const states = cells.map((cell) =>
    typeof cell === "string"
      ? { outputs: 0, executionCount: null }
      : { outputs: cell.outputs ?? 0, executionCount: cell.executionCount ?? null },
  );
  return projectNotebook({ path: "test.ipynb", cells: parsed }, states).text;
}

/** A markdown cell. */
export function md(source: string): TestCell {
  return { type: "markdown", source };
}

/** A code cell with tags. */
export function tagged(tags: string[], source: string): TestCell {
  return { source, tags };
}
