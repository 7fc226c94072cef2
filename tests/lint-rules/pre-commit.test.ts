// End to end: the pre-commit hook, installed by simple-git-hooks in a temporary git repository, refuses notebooks
// with lint errors and shows the cell-mapped message, and lets a clean notebook (with its generated modules) through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempRepository, notebookFile, type TempRepository } from "./temp-repository.ts";

// Each commit runs ESLint and the extractor: give them room on a busy 2-core machine.
const COMMIT_TIMEOUT = 240_000;

/** The doubling notebook, with `node` written as given and the node's body. */
function doubling(directive: string, body: string): string {
  return notebookFile([
    { markdown: "# Doubling\n\nDoubles a few numbers." },
    { code: "//| parameters\nconst factor = 2;" },
    { markdown: "## Double" },
    { code: `//| ${directive}\n//| save: doubled\n${body}` },
  ]);
}

describe("the pre-commit hook", () => {
  let repo: TempRepository;

  beforeAll(() => {
    repo = createTempRepository();
  });

  afterAll(() => {
    repo.remove();
  });

  it("is installed by simple-git-hooks and runs lint-staged", () => {
    const hook = repo.run("cat", [".git/hooks/pre-commit"]);
    expect(hook.output).toContain("lint-staged --continue-on-error");
  });

  it(
    "refuses a notebook with a misspelt directive, naming the cell and line",
    () => {
      repo.write("notebooks/typo.ipynb", doubling("nod", "const doubled = [1, 2, 3].map((x) => x * factor);"));
      const result = repo.commit(["notebooks/typo.ipynb"], "Add a notebook with a typo");
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("code cell 2, line 1: unknown directive `//| nod`: did you mean `node`?");
      // Both checks finish (--continue-on-error): extract --check's own report follows ESLint's.
      expect(result.output).toContain("notebooks/typo.ipynb does not extract (1 error above)");
      expect(repo.run("git", ["log", "--oneline"]).output.trim().split("\n")).toHaveLength(1);
      repo.run("git", ["rm", "-q", "--cached", "notebooks/typo.ipynb"]);
      repo.run("rm", ["notebooks/typo.ipynb"]);
    },
    COMMIT_TIMEOUT,
  );

  it(
    "refuses Math.random in a node cell, naming the cell and line",
    () => {
      repo.write(
        "notebooks/noisy.ipynb",
        doubling("node", "const doubled = [1, 2, 3].map((x) => x * factor + Math.random());"),
      );
      const result = repo.commit(["notebooks/noisy.ipynb"], "Add a noisy notebook");
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("code cell 2, line 3: `Math.random()` is unseeded: add a `seed` parameter");
      repo.run("git", ["rm", "-q", "--cached", "notebooks/noisy.ipynb"]);
      repo.run("rm", ["notebooks/noisy.ipynb"]);
    },
    COMMIT_TIMEOUT,
  );

  it(
    "commits a clean notebook with its extracted modules",
    () => {
      repo.write("notebooks/double.ipynb", doubling("node", "const doubled = [1, 2, 3].map((x) => x * factor);"));
      const extracted = repo.run("npx", ["extract", "notebooks/double.ipynb"]);
      expect(extracted.status, extracted.output).toBe(0);
      const result = repo.commit(["notebooks", "pipelines", "conf"], "Add the doubling notebook");
      expect(result.status, result.output).toBe(0);
      expect(repo.run("git", ["log", "--oneline"]).output).toContain("Add the doubling notebook");
    },
    COMMIT_TIMEOUT,
  );
});
