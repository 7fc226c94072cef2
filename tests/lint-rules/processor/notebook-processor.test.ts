import { readFileSync } from "node:fs";
import { ESLint, type Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import cellforge from "../../../lint-rules/index.ts";
import { ROOT } from "../rule-tester.ts";
import { notebookFile } from "../temp-repository.ts";

const FIXTURE = "tests/fixtures/notebooks/lint/processor.ipynb";
const text = readFileSync(`${ROOT}${FIXTURE}`, "utf8");

/** ESLint with the recommended config, typed as the project types notebooks, limited to `rules`. */
function eslint(rules: readonly string[], fix = false): ESLint {
  return new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      ...cellforge.configs["recommended"]!,
      {
        files: ["**/*.ipynb/*.ts"],
        languageOptions: {
          parser: tseslint.parser,
          parserOptions: {
            projectService: { allowDefaultProject: ["tests/fixtures/notebooks/lint/*.ipynb/*.ts"] },
            tsconfigRootDir: ROOT,
          },
        },
        plugins: { "@typescript-eslint": tseslint.plugin as unknown as ESLint.Plugin },
        rules: {
          "@typescript-eslint/no-unused-expressions": "error",
          "@typescript-eslint/no-unsafe-call": "error",
          "@typescript-eslint/no-unsafe-argument": "error",
        },
      },
    ],
    ruleFilter: ({ ruleId }) => rules.includes(ruleId),
    fix,
  });
}

async function lint(rules: readonly string[]): Promise<Linter.LintMessage[]> {
  const [result] = await eslint(rules).lintFiles([FIXTURE]);
  return result?.messages ?? [];
}

/** The 1-based line and column of an offset in the fixture's text (or in `within`). */
function position(offset: number, within = text): { line: number; column: number } {
  const before = within.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

describe("the .ipynb processor", () => {
  it("reports a problem in cell 3, line 2 as such, at those characters of the notebook file", async () => {
    const [message, ...others] = await lint(["cellforge/no-console-in-nodes"]);
    expect(others).toEqual([]);
    expect(message?.message).toMatch(/^code cell 2, line 2: `console\.log` in pipeline code/);
    const at = text.indexOf("console.log(`total");
    expect({ line: message?.line, column: message?.column }).toEqual(position(at));
    expect({ line: message?.endLine, column: message?.endColumn }).toEqual(position(at + "console.log".length));
  });

  it("applies the fix inside that cell's source and leaves every other byte of the notebook as it was", async () => {
    const [result] = await eslint(["cellforge/no-console-in-nodes"], true).lintFiles([FIXTURE]);
    expect(result?.output).toBe(text.replace("console.log(`total", "log.info(`total"));
    const cells = (JSON.parse(result?.output ?? "{}") as { cells: { source: string[] }[] }).cells;
    expect(cells[2]?.source).toEqual(["const total = 1 + 2;\n", "log.info(`total ${total}`);"]);
  });

  it("maps a tag problem to the tag in the JSON, and its suggestion rewrites the tag", async () => {
    const [message] = await lint(["cellforge/valid-directives"]);
    expect(message?.message).toBe(
      "cell [3] (code cell 3, tag `skp`): unknown directive tag `skp`: did you mean `skip`?",
    );
    expect({ line: message?.line, column: message?.column }).toEqual(position(text.indexOf('"skp"')));
    const fix = message?.suggestions?.[0]?.fix;
    expect(fix).toBeDefined();
    if (fix === undefined) return;
    const fixed = text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
    expect(fixed).toBe(text.replace('"skp"', '"skip"'));
  });

  it("clears outputs and the execution count and keeps the tags and metadata", async () => {
    const messages = await lint(["cellforge/no-committed-outputs"]);
    expect(messages.map((m) => m.message)).toEqual([
      "cell [3] (code cell 3): cell [3] (code cell 3) has 1 saved output(s): clear outputs before committing (this rule's fix, or Jupyter's Edit › Clear Outputs of All Cells).",
    ]);
    const [result] = await eslint(["cellforge/no-committed-outputs"], true).lintFiles([FIXTURE]);
    const notebook = JSON.parse(result?.output ?? "{}") as { cells: Record<string, unknown>[] };
    const original = JSON.parse(text) as { cells: Record<string, unknown>[] };
    expect(notebook.cells[4]).toEqual({ ...original.cells[4], outputs: [], execution_count: null });
    const outputs = text.slice(text.indexOf('"outputs": [\n    {'), text.indexOf('"source": [\n    "const peek'));
    expect(result?.output).toBe(
      text.replace('"execution_count": 3', '"execution_count": null').replace(outputs, '"outputs": [],\n   '),
    );
  });

  it("types the notebook as one file: type-aware rules see names across cells", async () => {
    const messages = await lint([
      "cellforge/explicit-boundary-types",
      "cellforge/no-hidden-state",
      "cellforge/node-inputs-extracted",
    ]);
    expect(messages).toEqual([]);
  });

  it("keeps no-unused-expressions quiet on a cell's last expression, which the kernel displays", async () => {
    const notebook = notebookFile([
      { markdown: "# Display" },
      { code: "const a = 1;\na;\nconst b = a + 1;\nb; // shown" },
      { code: "b" },
    ]);
    const [result] = await eslint(["@typescript-eslint/no-unused-expressions"]).lintText(notebook, {
      filePath: `${ROOT}tests/fixtures/notebooks/lint/display.ipynb`,
    });
    expect(result?.messages.map((m) => m.message)).toEqual([
      "code cell 1, line 2: Expected an assignment or function call and instead saw an expression.",
    ]);
  });

  it("types a project module a cell imports from the project root, as the kernel does, and maps positions after the import back", async () => {
    const path = "tests/fixtures/notebooks/lint/project-module.ipynb";
    const source = readFileSync(`${ROOT}${path}`, "utf8");
    const typed = eslint([
      "cellforge/no-console-in-nodes",
      "@typescript-eslint/no-unsafe-call",
      "@typescript-eslint/no-unsafe-argument",
    ]);
    const [result] = await typed.lintFiles([path]);
    const messages = result?.messages ?? [];
    // `scale` is typed (no unsafe call of an unresolved module), and each console.log is where the notebook has it.
    expect(messages.map((m) => m.ruleId)).toEqual(["cellforge/no-console-in-nodes", "cellforge/no-console-in-nodes"]);
    const at = (needle: string): { line: number; column: number } => position(source.indexOf(needle), source);
    expect(messages.map((m) => ({ line: m.line, column: m.column }))).toEqual([
      at("console.log(scale(1"),
      at("console.log(scale(2"),
    ]);
    expect(messages[0]?.message).toMatch(/^code cell 1, line 1: /);
    expect(messages[1]?.message).toMatch(/^code cell 1, line 2: /);
  });
});
