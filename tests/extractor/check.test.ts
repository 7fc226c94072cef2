// `extract --check`: passes on hashes when nothing changed, fails with a unified diff when the notebook and the modules disagree.
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkNotebook } from "../../extractor/cli/check.ts";
import { planExtraction, writeExtraction, type ExtractOptions } from "../../extractor/cli/extract.ts";
import { fixture, runCli, scratchDir } from "./fixtures.ts";

interface NotebookJson {
  cells: Array<{ cell_type: string; source: string[]; outputs?: unknown[]; execution_count?: number | null }>;
}

let notebook: string;
let options: ExtractOptions;

function editNotebook(edit: (json: NotebookJson) => void): void {
  const json = JSON.parse(readFileSync(notebook, "utf8")) as NotebookJson;
  edit(json);
  writeFileSync(notebook, JSON.stringify(json, null, 1));
}

describe("extract --check", () => {
  beforeAll(async () => {
    const dir = scratchDir();
    mkdirSync(join(dir, "notebooks"));
    notebook = join(dir, "notebooks", "dataflow.ipynb");
    copyFileSync(fixture("dataflow"), notebook);
    options = { outDir: join(dir, "out"), catalogPath: join(dir, "catalog.yml") };
    await writeExtraction(await planExtraction(notebook, options));
  });

  it("passes from the header hashes alone when nothing changed", async () => {
    expect(await checkNotebook(notebook, options)).toMatchObject({ upToDate: true, fast: true, diff: "" });
  });

  it("still passes fast after the notebook ran (outputs, execution counts) and its prose changed", async () => {
    editNotebook((json) => {
      for (const cell of json.cells) {
        if (cell.cell_type === "code") {
          cell.execution_count = 7;
          cell.outputs = [{ output_type: "stream", name: "stdout", text: ["hello\n"] }];
        }
      }
      const intro = json.cells[0];
      if (intro !== undefined) intro.source = ["# Word counts\n", "\n", "Other prose, same heading."];
    });
    expect(await checkNotebook(notebook, options)).toMatchObject({ upToDate: true, fast: true });
  });

  it("passes on the slow path, with a note, when only the extractor version in the headers differs", async () => {
    const result = await checkNotebook(notebook, { ...options, extractorVersion: "0123456789abcdef" });
    expect(result).toMatchObject({ upToDate: true, fast: false, diff: "" });
    expect(result.notes.join("\n")).toContain("their header hashes are stale");
  });

  it("passes on the slow path, with a note, when only an exploration cell changed and the modules are the same", async () => {
    editNotebook((json) => {
      const exploration = json.cells.find((c) => c.source.join("") === "notes.length");
      if (exploration === undefined) throw new Error("fixture changed: no exploration cell");
      exploration.source = ['notes.split("\\n").length'];
    });
    const result = await checkNotebook(notebook, options);
    expect(result).toMatchObject({ upToDate: true, fast: false, diff: "" });
    expect(result.notes.join("\n")).toContain("run `npm run extract` to refresh them so `--check` stays fast");
  });

  it("fails with a unified diff when a node's code changed, and exits 1 from the CLI", async () => {
    editNotebook((json) => {
      const cell = json.cells.find((c) => c.source.join("").includes(".slice(0, report.top)"));
      if (cell === undefined) throw new Error("fixture changed: no top-words cell");
      cell.source = cell.source.map((line) => line.replace(".slice(0, report.top)", ".slice(0, 3)"));
    });
    const result = await checkNotebook(notebook, options);
    expect(result).toMatchObject({ upToDate: false, fast: false });
    expect(result.diff).toMatch(/^--- a\/\S+\/out\/nodes\.ts\n\+\+\+ b\/\S+\/out\/nodes\.ts\n@@ /);
    expect(result.diff).toContain("\n-    .slice(0, report.top);\n+    .slice(0, 3);\n");
    expect(result.diff).toContain("\n-// notebook sha256:");

    const cli = await runCli([
      "--check",
      notebook,
      "--out",
      options.outDir ?? "",
      "--catalog",
      options.catalogPath ?? "",
    ]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain("+    .slice(0, 3);");
    expect(cli.stderr).toContain(
      "the generated modules do not match the notebook (node topWords changed); run `npx extract",
    );
  });

  it("fails when the catalog lacks an entry, and passes again after extracting", async () => {
    rmSync(options.catalogPath ?? "");
    await writeExtraction(await planExtraction(notebook, options));
    writeFileSync(options.catalogPath ?? "", "# emptied by hand\n{}\n");
    const result = await checkNotebook(notebook, { ...options, extractorVersion: "fedcba9876543210" });
    expect(result.upToDate).toBe(false);
    expect(result.notes.join("\n")).toContain("lacks `dataflow.notes`, `dataflow.config`, `dataflow.top`");
    await writeExtraction(await planExtraction(notebook, options));
    expect(await checkNotebook(notebook, options)).toMatchObject({ upToDate: true, fast: true });
  });

  it("fails when a catalog comment names a cell the entry no longer comes from, and passes after extracting", async () => {
    const catalog = options.catalogPath ?? "";
    rmSync(catalog);
    await writeExtraction(await planExtraction(notebook, options));
    const text = readFileSync(catalog, "utf8");
    expect(text).toMatch(/^# Saved by \S+dataflow\.ipynb code cell \d+\ndataflow\.top:/m);
    writeFileSync(catalog, text.replace(/(# Saved by \S+dataflow\.ipynb) code cell \d+/, "$1 cell 99"));
    const result = await checkNotebook(notebook, { ...options, extractorVersion: "fedcba9876543210" });
    expect(result.upToDate).toBe(false);
    expect(result.notes.join("\n")).toContain(
      "names the wrong cells in its comments; run `npm run extract` to refresh them",
    );
    await writeExtraction(await planExtraction(notebook, options));
    expect(readFileSync(catalog, "utf8")).toBe(text);
  });
});
